import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Registry } from '@aigw/metrics';
import { redisKeys } from '@aigw/redis';
import { TcpSwitch } from '../../../test/faults/support/tcp-switch.js';
import { createSelectorWorld, seedProvider, type Replica, type SelectorWorld } from './selector-fixture.js';

let world: SelectorWorld;
let replica: Replica;
let ring: { providerId: number; accountIds: number[] };
const redisSwitch = new TcpSwitch('127.0.0.1', 6379);
const registry = new Registry();
const consoleErrors = vi.spyOn(console, 'error');

beforeAll(async () => {
  world = await createSelectorWorld();
  ring = await seedProvider(world.prisma, 'outage', 3);
  replica = await world.startReplica({ redisPort: await redisSwitch.on(), registry });
});

afterAll(async () => {
  await redisSwitch.on();
  await world?.close();
  await redisSwitch.off();
});

/** Runs `call`, failing the test when it takes longer than `limitMs` (what a request would notice). */
async function within<T>(limitMs: number, call: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const value = await call();
  expect(Date.now() - started).toBeLessThan(limitMs);
  return value;
}

async function fallbacks(operation: string): Promise<number> {
  const metric = await registry.getSingleMetric('aigw_selector_fallback_total')?.get();
  return (metric?.values ?? []).filter((v) => v.labels['operation'] === operation).reduce((sum, v) => sum + v.value, 0);
}

/** Selections in a row; every one answers within a second. */
async function selectMany(count: number, model: string, exclude: number[] = []): Promise<number[]> {
  const picked: number[] = [];
  for (let i = 0; i < count; i++) picked.push((await within(1_000, () => replica.select(ring.providerId, model, exclude))).id);
  return picked;
}

/** Waits until selections go through Redis again (its round-robin counter moves). */
async function untilRedisServes(model: string): Promise<void> {
  const counterKey = `${world.prefix}${redisKeys.roundRobin('outage', model)}`;
  const before = Number((await world.rawRedis.get(counterKey)) ?? 0);
  for (let i = 0; i < 100; i++) {
    await replica.select(ring.providerId, model);
    if (Number((await world.rawRedis.get(counterKey)) ?? 0) > before) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('selections never went back to Redis');
}

const outageLines = () => world.logs().split('\n').filter((line) => line.includes('redis unreachable')).length;

describe('selector while Redis is unreachable', () => {
  it('rotates over every account in process when the connections are cut, cools down what it is told, and goes back to Redis', async () => {
    await selectMany(3, 'cut-model');
    await redisSwitch.off();

    const picked = await selectMany(30, 'cut-model');
    for (const id of ring.accountIds) expect(picked.filter((p) => p === id)).toHaveLength(10);
    expect(await fallbacks('select')).toBeGreaterThanOrEqual(30);

    // An upstream failure reported now cools the account down in this process.
    const failing = ring.accountIds[0]!;
    expect(await within(1_000, () => replica.report(failing, 'cut-model', 503))).toBe(1_000);
    expect(await fallbacks('report')).toBeGreaterThanOrEqual(1);
    expect(await selectMany(6, 'cut-model')).not.toContain(failing);
    // Excluding what a request already tried still holds.
    expect(await selectMany(4, 'cut-model', [ring.accountIds[1]!])).toEqual(Array(4).fill(ring.accountIds[2]));

    await redisSwitch.on();
    await untilRedisServes('cut-model');
    expect(world.logs()).toContain('redis answers again');
  });

  it('answers within a second while Redis holds its connections open and answers nothing', async () => {
    const before = await fallbacks('select');
    redisSwitch.pause();
    const picked = await selectMany(30, 'pause-model');
    expect(new Set(picked)).toEqual(new Set(ring.accountIds));
    expect(await fallbacks('select')).toBeGreaterThanOrEqual(before + 30);
    await within(1_000, () => replica.report(ring.accountIds[1]!, 'pause-model', 200));

    await redisSwitch.on();
    await untilRedisServes('pause-model');
  });

  it('logged each outage once, and ioredis printed no unhandled error', () => {
    expect(outageLines()).toBe(2);
    const unhandled = consoleErrors.mock.calls.filter((args) => String(args[0]).includes('Unhandled error event'));
    expect(unhandled).toEqual([]);
  });
});
