import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type RedisClient } from '@aigw/redis';
import { AffinityOutcome } from '@aigw/proto';
import { pickWithAffinity, walkRing, type AffinityBinding, type RingSlot } from '../src/selection/ring-walk.js';
import { runSelectScript } from '../src/selection/select-script.js';

// The Lua script and walkRing() / pickWithAffinity() must agree on every ring state; fast-check explores the states.

const prefix = `test:select-script:${randomBytes(4).toString('hex')}:`;
let redis: RedisClient;
let raw: RedisClient;

beforeAll(() => {
  redis = createRedis('redis://127.0.0.1:6379', { keyPrefix: prefix });
  raw = createRedis('redis://127.0.0.1:6379');
});

afterAll(async () => {
  const keys = await raw.keys(`${prefix}*`);
  if (keys.length > 0) await raw.del(...keys);
  await Promise.allSettled([redis.quit(), raw.quit()]);
});

const slotArbitrary: fc.Arbitrary<RingSlot> = fc.record({
  excluded: fc.boolean(),
  // Long cooldowns, so that the few ms a run takes cannot change which one is the soonest.
  cooldownPttl: fc.oneof(fc.constant(-2), fc.constant(-2), fc.constant(-1), fc.integer({ min: 100_000, max: 900_000 }).map((ms) => ms * 10)),
  used: fc.integer({ min: 0, max: 3 }),
  limit: fc.integer({ min: 0, max: 3 }),
});

let caseNo = 0;
const idOf = (index: number) => 100 + index;
const BINDING_TTL_MS = 3_600_000;

/**
 * Writes `slots` (and the binding) into fresh keys, runs the script once and reports what it chose and
 * counted, and where the binding points afterwards.
 */
async function runInRedis(slots: RingSlot[], counter: number, msToNextWindow: number, binding: AffinityBinding = { kind: 'none' }) {
  const base = `case${caseNo++}`;
  const keys = {
    counterKey: `account:rr:{${base}}:m`,
    cooldownKeys: slots.map((_, i) => `cooldown:{${base}}:${i}:m`),
    rateLimitKeys: slots.map((_, i) => `rl:{${base}}:${i}:1`),
  };
  const bindingKey = binding.kind === 'none' ? undefined : `affinity:{${base}}:m:k1:s:abc`;
  // A bound account that left the ring is an id the ring does not hold; the binding starts with a short TTL
  // so that a refresh shows.
  if (binding.kind === 'bound') await redis.set(bindingKey!, binding.index === null ? 9_999 : idOf(binding.index), 'PX', 60_000);
  await redis.set(keys.counterKey, counter - 1);
  for (const [i, slot] of slots.entries()) {
    if (slot.cooldownPttl === -1) await redis.set(keys.cooldownKeys[i]!, '1');
    if (slot.cooldownPttl > 0) await redis.set(keys.cooldownKeys[i]!, '1', 'PX', slot.cooldownPttl);
    if (slot.used > 0) await redis.set(keys.rateLimitKeys[i]!, slot.used, 'PX', 60_000);
  }
  const { pick, affinity } = await runSelectScript(redis, {
    ...keys,
    excluded: slots.map((s) => s.excluded),
    limits: slots.map((s) => s.limit),
    accountIds: slots.map((_, i) => idOf(i)),
    bindingKey,
    affinityIndexKeys: slots.map((_, i) => `affinity-of:{${base}}:${i}`),
    bindingTtlMs: BINDING_TTL_MS,
    msToNextWindow,
  });
  const usedAfter = await Promise.all(keys.rateLimitKeys.map(async (key) => Number((await redis.get(key)) ?? 0)));
  const boundAfter = bindingKey === undefined ? null : await redis.get(bindingKey);
  const bindingTtl = bindingKey === undefined ? -2 : await redis.pttl(bindingKey);
  return { pick, affinity, usedAfter, counterAfter: Number(await redis.get(keys.counterKey)), boundAfter, bindingTtl };
}

describe('selection Lua script', () => {
  it('chooses what walkRing chooses, counts the chosen account in its window and advances the counter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(slotArbitrary, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        async (slots, counter, msToNextWindow) => {
          const expected = walkRing(slots, counter, msToNextWindow);
          const { pick, usedAfter, counterAfter } = await runInRedis(slots, counter, msToNextWindow);
          expect(counterAfter).toBe(counter);
          if (expected.kind === 'chosen') {
            expect(pick).toEqual(expected);
          } else {
            expect(pick.kind).toBe('exhausted');
            const got = pick.kind === 'exhausted' ? pick.retryAfterMs : -1;
            // A cooldown hint is a live PTTL: it can only have shrunk a little since the key was written.
            expect(got).toBeLessThanOrEqual(expected.retryAfterMs);
            expect(got).toBeGreaterThan(expected.retryAfterMs - 5_000);
          }
          const expectedUsed = slots.map((slot, i) =>
            expected.kind === 'chosen' && expected.index === i ? slot.used + 1 : slot.used,
          );
          expect(usedAfter).toEqual(expectedUsed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('honours, makes and moves affinity bindings exactly as pickWithAffinity does', async () => {
    const bindingArbitrary = (n: number): fc.Arbitrary<AffinityBinding> =>
      fc.oneof(
        fc.constant<AffinityBinding>({ kind: 'none' }),
        fc.constant<AffinityBinding>({ kind: 'unbound' }),
        fc.constant<AffinityBinding>({ kind: 'bound', index: null }),
        fc.integer({ min: 0, max: n - 1 }).map((index): AffinityBinding => ({ kind: 'bound', index })),
        fc.integer({ min: 0, max: n - 1 }).map((index): AffinityBinding => ({ kind: 'bound', index })),
      );
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(slotArbitrary, { minLength: 1, maxLength: 6 })
          .chain((slots) => fc.tuple(fc.constant(slots), bindingArbitrary(slots.length))),
        fc.integer({ min: 1, max: 1_000_000 }),
        async ([slots, binding], counter) => {
          const expected = pickWithAffinity(slots, binding, counter, 30_000);
          const got = await runInRedis(slots, counter, 30_000, binding);
          expect(got.affinity).toBe(expected.affinity);
          expect(got.counterAfter).toBe(expected.advancesCounter ? counter : counter - 1);
          if (expected.pick.kind === 'chosen') {
            expect(got.pick).toEqual(expected.pick);
            const used = slots[expected.pick.index]!;
            expect(got.usedAfter[expected.pick.index]).toBe(used.used + 1);
            // The key now points at the chosen account, for another full TTL.
            if (binding.kind !== 'none') {
              expect(got.boundAfter).toBe(String(idOf(expected.pick.index)));
              expect(got.bindingTtl).toBeGreaterThan(BINDING_TTL_MS - 10_000);
            }
          } else {
            expect(got.pick.kind).toBe('exhausted');
            // Nothing could serve: the binding stays as it was (its account may come back).
            const before = binding.kind === 'bound' ? String(binding.index === null ? 9_999 : idOf(binding.index)) : null;
            expect(got.boundAfter).toBe(before);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives a fresh per-minute key a TTL of one window', async () => {
    const selection = await runSelectScript(redis, {
      counterKey: 'account:rr:{ttl}:m',
      cooldownKeys: ['cooldown:{ttl}:1:m'],
      rateLimitKeys: ['rl:{ttl}:1:5'],
      excluded: [false],
      limits: [10],
      accountIds: [1],
      bindingTtlMs: BINDING_TTL_MS,
      msToNextWindow: 1_000,
    });
    expect(selection).toEqual({ pick: { kind: 'chosen', index: 0 }, affinity: AffinityOutcome.AFFINITY_OUTCOME_NONE });
    const ttl = await redis.pttl('rl:{ttl}:1:5');
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
