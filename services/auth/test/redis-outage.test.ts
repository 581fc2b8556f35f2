import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Registry } from '@aigw/metrics';
import { TcpSwitch } from '../../../test/faults/support/tcp-switch.js';
import { createAuthWorld, type AuthReplica, type AuthWorld } from './auth-fixture.js';

let world: AuthWorld;
let replica: AuthReplica;
let providerId: number;
let counter = 0;
const redisSwitch = new TcpSwitch('127.0.0.1', 6379);
const registry = new Registry();
const consoleErrors = vi.spyOn(console, 'error');

beforeAll(async () => {
  world = await createAuthWorld();
  providerId = await world.seedProvider('antigravity', 'antigravity');
  replica = await world.startReplica({ redisPort: await redisSwitch.on(), registry });
});

afterAll(async () => {
  await redisSwitch.on();
  await world?.close();
  await redisSwitch.off();
});

async function within<T>(limitMs: number, call: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const value = await call();
  expect(Date.now() - started).toBeLessThan(limitMs);
  return value;
}

async function oauthAccount(): Promise<{ id: number; clientId: string }> {
  const clientId = `outage-client-${++counter}`;
  return { id: await world.seedOAuthAccount(providerId, clientId), clientId };
}

async function fallbacks(): Promise<number> {
  const metric = await registry.getSingleMetric('aigw_auth_redis_fallback_total')?.get();
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

describe.each([
  ['cut', () => redisSwitch.off()],
  ['paused', async () => redisSwitch.pause()],
])('GetCredential while Redis is %s', (_, fail) => {
  it('serves cached tokens from memory, refreshes new accounts on its own (once each), and Redis gets the next token again', async () => {
    await redisSwitch.on();
    const known = await oauthAccount();
    const first = await replica.getCredential(known.id);
    const cold = await oauthAccount();
    const before = await fallbacks();

    await fail();
    for (let i = 0; i < 10; i++) expect((await within(1_000, () => replica.getCredential(known.id))).headerValue).toBe(first.headerValue);
    // A new account needs a real refresh (MySQL and the token endpoint): bounded by those, not by Redis.
    const fresh = await Promise.all(Array.from({ length: 10 }, () => within(3_000, () => replica.getCredential(cold.id))));
    expect(new Set(fresh.map((c) => c.headerValue)).size).toBe(1);
    expect(world.oauth.refreshCountFor(cold.clientId)).toBe(1);
    expect(await fallbacks()).toBeGreaterThan(before);

    await redisSwitch.on();
    const later = await oauthAccount();
    await expect
      .poll(async () => {
        await replica.getCredential(later.id);
        return world.rawRedis.keys(`${world.prefix}auth:oauth:antigravity:{${later.id}}`);
      }, { timeout: 5_000, interval: 100 })
      .toHaveLength(1);
  });
});

describe('Redis outages', () => {
  it('were logged once each, and ioredis printed no unhandled error', async () => {
    await expect.poll(() => world.logs().split('\n').filter((line) => line.includes('redis answers again')).length).toBe(2);
    expect(world.logs().split('\n').filter((line) => line.includes('redis unreachable')).length).toBe(2);
    expect(consoleErrors.mock.calls.filter((args) => String(args[0]).includes('Unhandled error event'))).toEqual([]);
  });
});
