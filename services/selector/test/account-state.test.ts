import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, readAccountStates, redisKeys, type RedisClient } from '@aigw/redis';
import { createSelectorWorld, seedProvider, type Replica, type SelectorWorld } from './selector-fixture.js';

// Issue 15 item 4: what the selector writes so the admin API can explain an account (why it cools down, until
// when, on whose word; its last error; its rate window and affinity bindings), read back as the admin API reads it.

let world: SelectorWorld;
let replica: Replica;
let reader: RedisClient;
let ring: { providerId: number; accountIds: number[] };

beforeAll(async () => {
  world = await createSelectorWorld();
  ring = await seedProvider(world.prisma, 'stateful', 2);
  replica = await replica_();
  reader = createRedis('redis://127.0.0.1:6379', { keyPrefix: world.prefix });
});

const replica_ = () => world.startReplica();

afterAll(async () => {
  reader?.disconnect();
  await world?.close();
});

describe('explainable account state', () => {
  it('stores the reason, the end, the source and the quota reset of a cooldown, indexes it and keeps the last error', async () => {
    const [cooled, other] = ring.accountIds as [number, number];
    const resetAtS = Math.floor(Date.now() / 1000) + 3_600;
    const before = Date.now();
    const ms = await replica.report(cooled, 'state-model', 429, 3_600_000, { retryAfterSource: 'quota-reset', resetAtS, message: 'Quota exceeded\n for  metric' });
    expect(ms).toBe(3_600_000);

    const stored = JSON.parse((await reader.get(redisKeys.cooldown('stateful', cooled, 'state-model')))!) as Record<string, unknown>;
    expect(stored).toMatchObject({ accountId: cooled, model: 'state-model', reason: 'quota_exhausted', source: 'quota-reset', resetAt: resetAtS * 1000 });
    expect(stored.until as number).toBeGreaterThanOrEqual(before + 3_600_000 - 5);
    const index = await reader.zrange(redisKeys.cooldownIndex('stateful'), 0, -1, 'WITHSCORES');
    expect(index).toHaveLength(2);
    expect(Number(index[1])).toBe(stored.until);

    // A second cooldown of the same account and model replaces the first in the index.
    await replica.report(cooled, 'state-model', 503, 0, { message: 'overloaded' });
    const states = await readAccountStates(reader, ring.accountIds.map((id) => ({ id, provider: 'stateful' })));
    const state = states.get(cooled)!;
    expect(state.cooldowns).toHaveLength(1);
    expect(state.cooldowns[0]).toMatchObject({ model: 'state-model', reason: 'upstream_error', source: 'default' });
    expect(state.lastError).toMatchObject({ class: 'upstream_error', status: 503, message: 'overloaded' });
    expect(states.get(other)).toEqual({ cooldowns: [], lastError: null, rateWindowRequests: 0, affinityBindings: 0 });
  });

  it('counts every selection in the rate window and the affinity bindings each account holds', async () => {
    const bound = [];
    for (const session of ['s1', 's2', 's3']) bound.push((await replica.selectFor(session, ring.providerId, 'bound-model')).id);
    // Turns of a bound conversation stay on their account and add no binding.
    expect((await replica.selectFor('s1', ring.providerId, 'bound-model')).id).toBe(bound[0]);
    const plain = (await replica.select(ring.providerId, 'plain-model')).id;
    const chosen = [...bound, bound[0], plain];
    const states = await readAccountStates(reader, ring.accountIds.map((id) => ({ id, provider: 'stateful' })));
    for (const id of ring.accountIds) {
      expect(states.get(id), `account ${id}`).toMatchObject({
        affinityBindings: bound.filter((b) => b === id).length,
        rateWindowRequests: chosen.filter((c) => c === id).length,
      });
    }
  });

  it('moves a binding’s count with the conversation when its account cools down', async () => {
    const first = (await replica.selectFor('moving', ring.providerId, 'moving-model')).id;
    const read = async () => readAccountStates(reader, ring.accountIds.map((id) => ({ id, provider: 'stateful' })));
    const before = await read();
    await replica.report(first, 'moving-model', 429, 60_000);
    const moved = await replica.selectFor('moving', ring.providerId, 'moving-model');
    expect(moved.id).not.toBe(first);
    const after = await read();
    expect(after.get(first)!.affinityBindings).toBe(before.get(first)!.affinityBindings - 1);
    expect(after.get(moved.id)!.affinityBindings).toBe(before.get(moved.id)!.affinityBindings + 1);
    expect(after.get(first)!.cooldowns.map((c) => [c.model, c.reason, c.source])).toContainEqual(['moving-model', 'rate_limited', 'retry-after']);
  });
});
