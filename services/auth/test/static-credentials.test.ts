import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '@aigw/errors';
import { createAuthWorld, type AuthReplica, type AuthWorld } from './auth-fixture.js';

let world: AuthWorld;
let auth: AuthReplica;

beforeAll(async () => {
  world = await createAuthWorld();
  auth = await world.startReplica();
});

afterAll(async () => {
  await world?.close();
});

const failure = (promise: Promise<unknown>) => promise.then(() => undefined as unknown as AppError, (error: unknown) => error as AppError);

describe('GetCredential for API keys and bearer tokens', () => {
  it('puts an API key in the header each provider kind expects', async () => {
    const expected = {
      openai: { headerName: 'authorization', headerValue: 'Bearer key-openai' },
      antigravity: { headerName: 'authorization', headerValue: 'Bearer key-antigravity' },
      anthropic: { headerName: 'x-api-key', headerValue: 'key-anthropic' },
      gemini: { headerName: 'x-goog-api-key', headerValue: 'key-gemini' },
    };
    for (const [kind, header] of Object.entries(expected)) {
      const providerId = await world.seedProvider(`static-${kind}`, kind);
      const accountId = await world.seedAccount(providerId, 'api_key', { apiKey: `key-${kind}` });
      expect(await auth.getCredential(accountId)).toEqual({ ...header, expiresAtMs: 0 });
    }
  });

  it('sends a bearer token as authorization: Bearer whatever the provider kind', async () => {
    const providerId = await world.seedProvider('static-bearer', 'anthropic');
    const accountId = await world.seedAccount(providerId, 'bearer', { token: 'tok-1' });
    expect(await auth.getCredential(accountId)).toEqual({ headerName: 'authorization', headerValue: 'Bearer tok-1', expiresAtMs: 0 });
  });

  it('serves a rotated key after the account changed and InvalidateCredential was called', async () => {
    const providerId = await world.seedProvider('static-rotated', 'openai');
    const accountId = await world.seedAccount(providerId, 'api_key', { apiKey: 'old-key' });
    expect((await auth.getCredential(accountId)).headerValue).toBe('Bearer old-key');
    await world.prisma.account.update({ where: { id: accountId }, data: { authData: world.cipher.encryptJson({ apiKey: 'new-key' }) } });
    await auth.invalidate(accountId);
    expect((await auth.getCredential(accountId)).headerValue).toBe('Bearer new-key');
  });

  it('fails with NOT_FOUND for an unknown account', async () => {
    expect(await failure(auth.getCredential(987_654))).toMatchObject({ code: 'NOT_FOUND', message: 'account 987654 not found' });
  });

  it('fails with INTERNAL, naming the account but no secret, when auth_data is malformed or unreadable', async () => {
    const providerId = await world.seedProvider('static-broken', 'openai');
    const malformed = await world.seedAccount(providerId, 'api_key', { token: 'should-not-leak' });
    const error = await failure(auth.getCredential(malformed));
    expect(error).toMatchObject({ code: 'INTERNAL', message: `credentials of account ${malformed} are malformed (missing apiKey)` });
    const garbage = await world.prisma.account.create({ data: { providerId, label: 'garbage', authType: 'api_key', authData: 'plain-text-key' } });
    expect((await failure(auth.getCredential(garbage.id))).code).toBe('INTERNAL');
    expect(world.logs()).not.toContain('should-not-leak');
    expect(world.logs()).not.toContain('plain-text-key');
  });
});
