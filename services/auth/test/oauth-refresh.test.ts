import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '@aigw/errors';
import { redisKeys } from '@aigw/redis';
import { isEncrypted } from '@aigw/secrets';
import { createAuthWorld, type AuthReplica, type AuthWorld } from './auth-fixture.js';

let world: AuthWorld;
let a: AuthReplica;
let b: AuthReplica;
let providerId: number;
let counter = 0;

beforeAll(async () => {
  world = await createAuthWorld();
  providerId = await world.seedProvider('antigravity', 'antigravity');
  a = await world.startReplica();
  b = await world.startReplica();
});

afterAll(async () => {
  await world?.close();
});

const failure = (promise: Promise<unknown>) => promise.then(() => undefined as unknown as AppError, (error: unknown) => error as AppError);
const bearer = (value: string) => value.replace(/^Bearer /, '');

/** Fresh OAuth accounts with client ids of their own, so that the emulator counts each apart. */
async function oauthAccounts(count: number): Promise<{ id: number; clientId: string }[]> {
  const accounts = [];
  for (let i = 0; i < count; i++) {
    const clientId = `client-${++counter}`;
    accounts.push({ id: await world.seedOAuthAccount(providerId, clientId), clientId });
  }
  return accounts;
}

async function storedAuthData(accountId: number) {
  const row = await world.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  return { raw: row.authData, data: world.cipher.decryptJson<Record<string, unknown>>(row.authData) };
}

const tokenKey = (accountId: number) => `${world.prefix}${redisKeys.oauthToken('antigravity', accountId)}`;

describe('OAuth GetCredential', () => {
  it('refreshes each account exactly once for 50 concurrent calls on a cold cache', async () => {
    const accounts = await oauthAccounts(3);
    const results = await Promise.all(accounts.map(({ id }) => Promise.all(Array.from({ length: 50 }, () => a.getCredential(id)))));
    for (const [i, { clientId }] of accounts.entries()) {
      expect(world.oauth.refreshCountFor(clientId)).toBe(1);
      const credentials = results[i]!;
      expect(new Set(credentials.map((c) => c.headerValue)).size).toBe(1);
      expect(credentials[0]!.headerName).toBe('authorization');
      expect(world.oauth.isValidAccessToken(bearer(credentials[0]!.headerValue))).toBe(true);
      expect(credentials[0]!.expiresAtMs).toBeGreaterThan(Date.now() + 3_000_000);
    }
  });

  it('refreshes each account exactly once when two replicas share the 50 calls, then serves from the caches', async () => {
    const accounts = await oauthAccounts(3);
    const calls = accounts.flatMap(({ id }) => Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).getCredential(id)));
    const credentials = await Promise.all(calls);
    for (const [i, { clientId }] of accounts.entries()) {
      expect(world.oauth.refreshCountFor(clientId)).toBe(1);
      expect(new Set(credentials.slice(i * 50, i * 50 + 50).map((c) => c.headerValue)).size).toBe(1);
    }

    // Later calls, and a replica that starts cold, are served from memory and Redis.
    const late = await world.startReplica();
    await Promise.all(accounts.flatMap(({ id }) => [a, b, late].map((replica) => replica.getCredential(id))));
    for (const { clientId } of accounts) expect(world.oauth.refreshCountFor(clientId)).toBe(1);
  });

  it('serves a token with less than the margin left at once and refreshes it exactly once behind the callers', async () => {
    const [account] = await oauthAccounts(1);
    const { id, clientId } = account!;
    await world.rawRedis.set(tokenKey(id), JSON.stringify({ accessToken: 'nearly-expired', expiresAt: Date.now() + 120_000 }), 'PX', 120_000);
    const credentials = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).getCredential(id)));
    expect(new Set(credentials.map((c) => c.headerValue))).toEqual(new Set(['Bearer nearly-expired']));
    await expect.poll(async () => bearer((await a.getCredential(id)).headerValue), { timeout: 5_000, interval: 20 }).not.toBe('nearly-expired');
    await expect.poll(async () => bearer((await b.getCredential(id)).headerValue), { timeout: 5_000, interval: 20 }).not.toBe('nearly-expired');
    expect(world.oauth.refreshCountFor(clientId)).toBe(1);
    const token = bearer((await a.getCredential(id)).headerValue);
    expect(world.oauth.isValidAccessToken(token)).toBe(true);
    const cached = JSON.parse((await world.rawRedis.get(tokenKey(id))) ?? '{}') as { accessToken?: string };
    expect(cached.accessToken).toBe(token);
  });

  it('stores the rotated refresh token in MySQL, encrypted, and it is the one the endpoint accepts next', async () => {
    const [account] = await oauthAccounts(1);
    const { id, clientId } = account!;
    const seeded = (await storedAuthData(id)).data['refreshToken'] as string;
    const first = await a.getCredential(id);

    const stored = await storedAuthData(id);
    const rotated = stored.data['refreshToken'] as string;
    expect(rotated).not.toBe(seeded);
    expect(rotated).toMatch(/^1\/\/emu-/);
    expect(isEncrypted(stored.raw)).toBe(true);
    expect(stored.raw).not.toContain(rotated);
    expect(stored.raw).not.toContain(bearer(first.headerValue));
    expect(stored.data['accessToken']).toBe(bearer(first.headerValue));
    expect(stored.data['expiresAt']).toBe(first.expiresAtMs);
    expect(stored.data['clientSecret']).toBe(`secret-of-${clientId}`);

    // The emulator retires every refresh token it rotates: only the latest one still works.
    await b.invalidate(id);
    const second = await b.getCredential(id);
    expect(world.oauth.refreshCountFor(clientId)).toBe(2);
    expect(second.headerValue).not.toBe(first.headerValue);
    expect((await storedAuthData(id)).data['refreshToken']).not.toBe(rotated);
  });

  it('uses the token kept in auth_data when Redis lost it, without a refresh', async () => {
    const [account] = await oauthAccounts(1);
    const { id, clientId } = account!;
    const first = await a.getCredential(id);
    await world.rawRedis.del(tokenKey(id));
    const cold = await world.startReplica();
    expect((await cold.getCredential(id)).headerValue).toBe(first.headerValue);
    expect(world.oauth.refreshCountFor(clientId)).toBe(1);
    expect(await world.rawRedis.get(tokenKey(id))).not.toBeNull();
  });

  it('InvalidateCredential forces one refresh, and the other replica moves to the new token', async () => {
    const [account] = await oauthAccounts(1);
    const { id, clientId } = account!;
    const old = await a.getCredential(id);
    expect((await b.getCredential(id)).headerValue).toBe(old.headerValue);

    await a.invalidate(id);
    const fresh = await a.getCredential(id);
    expect(fresh.headerValue).not.toBe(old.headerValue);
    expect(world.oauth.refreshCountFor(clientId)).toBe(2);
    await expect.poll(async () => (await b.getCredential(id)).headerValue, { timeout: 5_000, interval: 20 }).toBe(fresh.headerValue);
    expect(world.oauth.refreshCountFor(clientId)).toBe(2);
  });

  it('fails with UNAUTHENTICATED on invalid_grant and leaves the account as it was', async () => {
    const clientId = `client-${++counter}`;
    // Present a refresh token once so that the emulator retires it.
    const retired = `1//retired-${clientId}`;
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: retired, client_id: clientId, client_secret: 's' });
    await fetch(world.oauth.url, { method: 'POST', body: form });
    const id = await world.seedAccount(providerId, 'oauth', { clientId, clientSecret: 's', refreshToken: retired, tokenUrl: world.oauth.url });
    const before = (await storedAuthData(id)).raw;

    const error = await failure(a.getCredential(id));
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: `oauth refresh rejected for account ${id}` });
    expect((await storedAuthData(id)).raw).toBe(before);
    expect(await world.rawRedis.get(tokenKey(id))).toBeNull();
  });

  it('fails with UNAVAILABLE when the token endpoint is down', async () => {
    const id = await world.seedAccount(providerId, 'oauth', {
      clientId: 'down',
      clientSecret: 's',
      refreshToken: 'r',
      tokenUrl: 'http://127.0.0.1:9/token',
    });
    expect(await failure(b.getCredential(id))).toMatchObject({ code: 'UNAVAILABLE', message: `oauth token endpoint unreachable for account ${id}` });
  });

  it('refuses a token endpoint the egress policy does not allow, saying so, without calling it', async () => {
    const providerId = await world.seedProvider('antigravity-egress', 'antigravity');
    const tokenUrl = world.oauth.url.replace('127.0.0.1', 'localhost');
    const id = await world.seedAccount(providerId, 'oauth', { clientId: 'egress-client', clientSecret: 's', refreshToken: 'r', tokenUrl });
    expect(await failure(b.getCredential(id))).toMatchObject({
      code: 'UNAVAILABLE',
      message: `oauth token endpoint unreachable for account ${id} (egress to localhost refused: localhost is this machine; allow it with EGRESS_ALLOW)`,
    });
  });

  it('never writes a token or client secret to the logs', async () => {
    const logs = world.logs();
    expect(logs).toContain('oauth token refreshed');
    expect(logs).not.toMatch(/ya29\.emu-|1\/\/emu-|1\/\/seed-|secret-of-/);
  });
});
