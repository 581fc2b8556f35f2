import type { AuthServiceClient } from '@aigw/proto';
import { createRedis, redisKeys } from '@aigw/redis';
import { isEncrypted } from '@aigw/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authClient,
  bearerToken,
  getCredential,
  loadAccounts,
  selectAccount,
  selectorClient,
  type DemoAccount,
} from './support/backends.js';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { chat, inBatches, openaiBody, type HttpResult } from './support/http.js';
import { findLeaks, knownSecrets } from './support/secrets.js';

// DESIGN §1/§2: round robin over a provider's accounts with the counter in Redis (exact across selector
// replicas), and OAuth access tokens refreshed once per account across auth replicas, cached, refreshed
// before they expire, with the rotated refresh token written back encrypted.

const FIVE_MINUTES = 5 * 60_000;

let ctx: E2eContext;
let oauthAccounts: DemoAccount[];
const extraSecrets: Record<string, string> = {};

const expectOk = (response: HttpResult) => expect(response.status, response.text).toBe(200);

/** Asserts that `sequence` visits `ids` in id order, round after round, each one equally often. */
function expectRotation(sequence: number[], ids: number[]): void {
  const counts = Object.fromEntries(ids.map((id) => [id, sequence.filter((s) => s === id).length]));
  expect(counts).toEqual(Object.fromEntries(ids.map((id) => [id, sequence.length / ids.length])));
  const next = (id: number) => ids[(ids.indexOf(id) + 1) % ids.length];
  sequence.slice(1).forEach((id, i) => expect(id, `selection ${i + 1} of ${sequence.join(',')}`).toBe(next(sequence[i] ?? -1)));
}

/** Sends `count` requests one after another and returns, per request, the account whose token reached upstream. */
async function sequentialAccounts(count: number, model: string): Promise<number[]> {
  const upstream = ctx.stack.emulators.upstream;
  // Records are kept (not cleared) so that the secret scan at the end knows every token that was used.
  const mark = upstream.requests().length;
  for (let i = 0; i < count; i++) expectOk(await chat(ctx.stack, openaiBody(model, `request ${i}`)));
  const auth = authClient(ctx.stack.grpcAddresses.auth[0] ?? '');
  try {
    const owner = new Map<string, number>();
    for (const account of oauthAccounts) owner.set(bearerToken(await getCredential(auth, account.id)), account.id);
    return upstream
      .requests()
      .slice(mark)
      .filter((request) => request.model === model)
      .map((request) => {
        const id = owner.get(request.credential);
        if (id === undefined) throw new Error(`upstream saw a token that auth does not hand out (status ${request.status})`);
        return id;
      });
  } finally {
    auth.close();
  }
}

describe('accounts: rotation and OAuth tokens (selector ×2, auth ×2)', () => {
  beforeAll(async () => {
    ctx = await startE2eStack('accounts', { replicas: { selector: 2, auth: 2 } });
    oauthAccounts = (await loadAccounts(ctx)).filter((account) => account.provider === 'antigravity');
    expect(oauthAccounts).toHaveLength(3);
  });

  afterAll(async () => {
    await ctx?.teardown();
  });

  it('cold cache, 50 concurrent requests: exactly one OAuth refresh per account', async () => {
    const { oauth, upstream } = ctx.stack.emulators;
    expect(oauth.refreshCount()).toBe(0);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => chat(ctx.stack, openaiBody('claude-sonnet-4-5', `cold ${i}`))),
    );
    responses.forEach(expectOk);
    for (const account of oauthAccounts) {
      expect(oauth.refreshCountFor(String(account.authData['clientId'])), account.label).toBe(1);
    }
    // Every upstream call carried a token the OAuth server accepts (a lost race would show as 401s).
    expect(upstream.requests().filter((r) => r.status !== 200)).toEqual([]);
    expect(new Set(upstream.requests().map((r) => r.credential)).size).toBe(3);
  });

  it('later requests are served from the token cache (no further refresh)', async () => {
    const { oauth } = ctx.stack.emulators;
    const before = oauth.refreshCount();
    const responses = await inBatches(30, 10, (i) => chat(ctx.stack, openaiBody('gemini-2.5-pro', `warm ${i}`)));
    responses.forEach(expectOk);
    expect(oauth.refreshCount()).toBe(before);
  });

  it('two selector replicas share one round-robin counter: alternating calls give 10/10/10 in id order', async () => {
    const provider = await ctx.prisma.provider.findUniqueOrThrow({ where: { name: 'antigravity' } });
    const clients = ctx.stack.grpcAddresses.selector.map(selectorClient);
    expect(clients).toHaveLength(2);
    try {
      const picks: number[] = [];
      for (let i = 0; i < 30; i++) picks.push((await selectAccount(clients[i % 2]!, provider.id, 'rotation-probe')).id);
      expectRotation(picks, oauthAccounts.map((a) => a.id));
    } finally {
      clients.forEach((client) => client.close());
    }
  });

  it('30 requests through the gateway are served 10/10/10 in rotation order (two selector replicas)', async () => {
    const sequence = await sequentialAccounts(30, 'claude-rotation-two');
    expect(sequence).toHaveLength(30);
    expectRotation(sequence, oauthAccounts.map((a) => a.id));
  });

  it('rotation stays exact with one selector replica left', async () => {
    await ctx.stack.service('selector', 1).stop();
    try {
      const sequence = await sequentialAccounts(30, 'claude-rotation-one');
      expect(sequence).toHaveLength(30);
      expectRotation(sequence, oauthAccounts.map((a) => a.id));
    } finally {
      await ctx.stack.service('selector', 1).restart();
    }
  });

  it('a cached token with less than 5 minutes left is served while it is refreshed behind the caller, once for all replicas', async () => {
    const { oauth } = ctx.stack.emulators;
    const account = oauthAccounts[0]!;
    const clientId = String(account.authData['clientId']);
    const before = authClient(ctx.stack.grpcAddresses.auth[0] ?? '');
    let first: AuthServiceClient | undefined;
    let second: AuthServiceClient | undefined;
    const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { keyPrefix: ctx.stack.redisKeyPrefix });
    try {
      const current = await getCredential(before, account.id);
      expect(current.expiresAtMs - Date.now()).toBeGreaterThan(FIVE_MINUTES);
      const start = oauth.refreshCountFor(clientId);

      // As if 55 of its 60 minutes had passed: the token expires in 200 s wherever auth keeps it — the
      // Redis entry (DESIGN §2: JSON {accessToken, expiresAt}, TTL = lifetime) and the copy in auth_data —
      // and the replicas' in-process caches are gone (restart).
      const soon = Date.now() + 200_000;
      await redis.set(
        redisKeys.oauthToken(account.provider, account.id),
        JSON.stringify({ accessToken: bearerToken(current), expiresAt: soon }),
        'PX',
        200_000,
      );
      const row = await ctx.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
      const stored = ctx.cipher.decryptJson<Record<string, unknown>>(row.authData);
      if (stored['expiresAt'] !== undefined) {
        await ctx.prisma.account.update({ where: { id: account.id }, data: { authData: ctx.cipher.encryptJson({ ...stored, expiresAt: soon }) } });
      }
      for (const replica of [0, 1]) await ctx.stack.service('auth', replica).restart();
      [first, second] = ctx.stack.grpcAddresses.auth.map(authClient);
      if (first === undefined || second === undefined) throw new Error('expected two auth replicas');
      const firstClient = first;

      // grpc-js shares subchannels between clients of one address, so a channel may still be in its reconnect
      // backoff after the restart and fail fast with UNAVAILABLE; such a call never reaches auth, so retrying
      // it cannot cause a refresh.
      // The token is still valid, so the first caller gets it at once and the refresh runs behind it (a slow
      // token endpoint costs no request anything); a later call gets the new token.
      const served = await eventually(() => getCredential(firstClient, account.id), { timeoutMs: 15_000, intervalMs: 100 });
      expect(oauth.isValidAccessToken(bearerToken(served))).toBe(true);
      expect(served.expiresAtMs).toBeGreaterThan(Date.now());
      const renewed = await eventually(
        async () => {
          const credential = await getCredential(firstClient, account.id);
          expect(bearerToken(credential)).not.toBe(bearerToken(current));
          return credential;
        },
        { timeoutMs: 15_000, intervalMs: 100 },
      );
      expect(oauth.refreshCountFor(clientId)).toBe(start + 1);
      expect(bearerToken(renewed)).not.toBe(bearerToken(current));
      expect(oauth.isValidAccessToken(bearerToken(renewed))).toBe(true);
      expect(renewed.expiresAtMs - Date.now()).toBeGreaterThan(FIVE_MINUTES);
      // The other replica finds the new token in Redis: no second refresh.
      const secondClient = second;
      const fromSecond = await eventually(() => getCredential(secondClient, account.id), { timeoutMs: 15_000, intervalMs: 100 });
      expect(bearerToken(fromSecond)).toBe(bearerToken(renewed));
      expect(oauth.refreshCountFor(clientId)).toBe(start + 1);
    } finally {
      before.close();
      first?.close();
      second?.close();
      redis.disconnect();
    }
    const responses = await inBatches(6, 3, (i) => chat(ctx.stack, openaiBody('claude-sonnet-4-5', `after ${i}`)));
    responses.forEach(expectOk);
  });

  it('the rotated refresh token is stored encrypted, and it is the live one', async () => {
    for (const account of oauthAccounts) {
      const row = await ctx.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
      expect(isEncrypted(row.authData), account.label).toBe(true);
      const stored = ctx.cipher.decryptJson<{ refreshToken: string; clientId: string; clientSecret: string; tokenUrl: string }>(row.authData);
      // Seeded tokens look like 1//demo-refresh-…; tokens the OAuth emulator issued (rotated) like 1//emu-….
      expect(stored.refreshToken, account.label).toMatch(/^1\/\/emu-/);
      expect(row.authData).not.toContain(stored.refreshToken);
      expect(row.authData).not.toContain('refreshToken');

      // The emulator rejects retired refresh tokens: a successful grant proves the stored one is the latest.
      // (It retires the stored token, so this runs last for the accounts.)
      const grant = await fetch(stored.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: stored.refreshToken,
          client_id: stored.clientId,
          client_secret: stored.clientSecret,
        }),
      });
      const answer = (await grant.json()) as { access_token?: string; refresh_token?: string; error?: string };
      expect(grant.status, `${account.label}: ${answer.error ?? ''}`).toBe(200);
      extraSecrets[`test-issued access token (${account.label})`] = answer.access_token ?? '';
      extraSecrets[`test-issued refresh token (${account.label})`] = answer.refresh_token ?? '';
    }
  });

  it('no credential appears in any log line of any service', async () => {
    const secrets = await knownSecrets(ctx, extraSecrets);
    expect(secrets.size).toBeGreaterThan(10);
    expect(ctx.stack.logs().length).toBeGreaterThan(0);
    expect(findLeaks(ctx.stack.logs(), secrets)).toEqual([]);
  });
});
