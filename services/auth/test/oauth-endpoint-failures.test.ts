import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '@aigw/errors';
import { redisKeys } from '@aigw/redis';
import { createAuthWorld, type AuthReplica, type AuthWorld } from './auth-fixture.js';

let world: AuthWorld;
let replica: AuthReplica;
let providerId: number;
let counter = 0;

beforeAll(async () => {
  world = await createAuthWorld();
  providerId = await world.seedProvider('antigravity', 'antigravity');
  replica = await world.startReplica();
});

afterAll(async () => {
  await world?.close();
});

async function oauthAccount(): Promise<{ id: number; clientId: string }> {
  const clientId = `failing-client-${++counter}`;
  return { id: await world.seedOAuthAccount(providerId, clientId), clientId };
}

/** GetCredential's outcome and how long it took. */
async function timed(accountId: number): Promise<{ ms: number; value?: string; error?: AppError }> {
  const started = Date.now();
  try {
    const credential = await replica.getCredential(accountId);
    return { ms: Date.now() - started, value: credential.headerValue };
  } catch (error) {
    return { ms: Date.now() - started, error: error as AppError };
  }
}

/** Calls GetCredential every 50 ms for `durationMs`. */
async function hammer(accountId: number, durationMs: number) {
  const results = [];
  for (const end = Date.now() + durationMs; Date.now() < end; ) {
    results.push(await timed(accountId));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return results;
}

describe.each(['hang', 'error'] as const)('a token endpoint that fails for one account (%s)', (mode) => {
  it('serves the still valid token while refreshes back off, and other accounts keep working', async () => {
    const failing = await oauthAccount();
    const healthy = await oauthAccount();
    // Valid for two more minutes, so due for refresh (the margin is five).
    const key = `${world.prefix}${redisKeys.oauthToken('antigravity', failing.id)}`;
    await world.rawRedis.set(key, JSON.stringify({ accessToken: 'still-valid', expiresAt: Date.now() + 120_000 }), 'PX', 120_000);
    world.oauth.setFailure(failing.clientId, mode);

    const results = await hammer(failing.id, 3_500);
    for (const result of results) {
      expect(result.value).toBe('Bearer still-valid');
      expect(result.ms).toBeLessThan(1_000);
    }
    // 70 calls in 3.5 s; tries at about 0, 1 and 3 s (a hung try holds its flight for the 2 s token timeout).
    expect(world.oauth.failedCountFor(failing.clientId)).toBeGreaterThanOrEqual(1);
    expect(world.oauth.failedCountFor(failing.clientId)).toBeLessThanOrEqual(4);
    expect((await timed(healthy.id)).value).toMatch(/^Bearer ya29\.emu-/);
    world.oauth.setFailure(failing.clientId, undefined);
  });

  it('fails fast and retryable for an account whose token expired, trying the endpoint a bounded number of times, and heals', async () => {
    const failing = await oauthAccount();
    // A token this replica holds that expires in a moment.
    const key = `${world.prefix}${redisKeys.oauthToken('antigravity', failing.id)}`;
    await world.rawRedis.set(key, JSON.stringify({ accessToken: 'expiring', expiresAt: Date.now() + 1_000 }), 'PX', 1_000);
    world.oauth.setFailure(failing.clientId, mode);
    expect((await timed(failing.id)).value).toBe('Bearer expiring');
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const results = await hammer(failing.id, 3_500);
    for (const result of results) {
      expect(result.error).toMatchObject({ code: 'UNAVAILABLE' });
      // The refresh wait (1.5 s in these tests) bounds a caller; a backing-off account answers at once.
      expect(result.ms).toBeLessThan(2_000);
    }
    expect(results.filter((r) => r.error?.retryAfterMs !== undefined).length).toBeGreaterThan(results.length / 2);
    expect(world.oauth.failedCountFor(failing.clientId)).toBeLessThanOrEqual(4);

    world.oauth.setFailure(failing.clientId, undefined);
    await expect.poll(async () => (await timed(failing.id)).value, { timeout: 10_000, interval: 200 }).toMatch(/^Bearer ya29\.emu-/);
    expect(world.oauth.refreshCountFor(failing.clientId)).toBe(1);
  });
});

it('waits for an account’s first token for as long as the token endpoint takes (up to its timeout)', async () => {
  const cold = await oauthAccount();
  world.oauth.setFailure(cold.clientId, 'hang');
  setTimeout(() => world.oauth.setFailure(cold.clientId, undefined), 200);
  // The first try hangs until the 2 s token timeout; the account then backs off: a first token is never cut short
  // by the refresh wait, so the caller sees the endpoint's own failure.
  expect((await timed(cold.id)).error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('unreachable') });
});
