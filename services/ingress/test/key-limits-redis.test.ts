import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type RedisClient } from '@aigw/redis';
import { TcpSwitch } from '../../../test/faults/support/tcp-switch.js';
import type { ApiKeyRecord } from '../src/keys/api-key-cache.js';
import { KeyLimits, type KeyLimitsOperation } from '../src/keys/key-limits.js';
import { redisKeyCounters } from '../src/keys/redis-key-counters.js';

// The key limits' Redis scripts against real Redis, behind a switch this test owns (the machine's Redis is
// never touched), shared by two KeyLimits as two ingress replicas share them.

const redisSwitch = new TcpSwitch('127.0.0.1', 6379);
let redis: RedisClient;
let keyId = Date.now() % 1_000_000_000;

beforeAll(async () => {
  await redisSwitch.on();
  redis = createRedis(`redis://${redisSwitch.address}`, { keyPrefix: `test:key-limits:${process.pid}:` });
  redis.on('error', () => undefined);
});

afterAll(async () => {
  redis.disconnect();
  await redisSwitch.off();
});

function key(limits: Partial<ApiKeyRecord>): ApiKeyRecord {
  return { id: ++keyId, rateLimitPerMin: null, revoked: false, ...limits };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('key limits in Redis', () => {
  it('shares one budget between replicas: each charge counts for both, and the next request is refused', async () => {
    const counters = redisKeyCounters(redis, 1_000);
    const [a, b] = [new KeyLimits(counters, () => undefined), new KeyLimits(redisKeyCounters(redis, 1_000), () => undefined)];
    const budgeted = key({ budgetMicroUsd: 1_000, budgetPeriod: 'day' });
    await a.check(budgeted);
    a.charge(budgeted, undefined, 600);
    await b.check(budgeted);
    b.charge(budgeted, undefined, 600);
    await settle();
    await expect(a.check(budgeted)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED', message: expect.stringMatching(/budget of \$0\.001 per day .* resets at \d{4}-/) });
    await expect(b.check(budgeted)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    const spent = await counters.spent(budgeted.id, 'day', Math.floor(Date.now() / 86_400_000) * 86_400_000);
    expect(spent).toBe(1_200);
    // The spend counter expires after its period (plus an hour for late charges).
    const ttl = await redis.pttl(`keylim:{${budgeted.id}}:spend:day:${Math.floor(Date.now() / 86_400_000) * 86_400_000}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(86_400_000 + 3_600_000);
  });

  it('counts requests and tokens per minute, tokens charged after the request', async () => {
    const limits = new KeyLimits(redisKeyCounters(redis, 1_000), () => undefined);
    const limited = key({ rateLimitPerMin: 2, tokensPerMin: 100 });
    await limits.check(limited);
    limits.charge(limited, { inputTokens: 60, outputTokens: 50 }, undefined);
    await settle();
    await expect(limits.check(limited)).rejects.toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('100 tokens per minute') });
    const requests = key({ rateLimitPerMin: 2 });
    await limits.check(requests);
    await limits.check(requests);
    await expect(limits.check(requests)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
  });

  it('makes no Redis call for a key without limits', async () => {
    const calls: string[] = [];
    const limits = new KeyLimits(
      {
        admit: async () => (calls.push('admit'), { requests: 0, tokens: 0, spentMicroUsd: 0 }),
        charge: async () => void calls.push('charge'),
        spent: async () => 0,
        seedSpend: async () => void calls.push('seed'),
      },
      () => undefined,
    );
    const free = key({});
    await limits.check(free);
    limits.charge(free, { inputTokens: 10, outputTokens: 10 }, 5);
    expect(calls).toEqual([]);
  });

  it('lets requests through within the timeout while Redis stalls, and reports it; limits again once Redis answers', async () => {
    const unavailable: KeyLimitsOperation[] = [];
    const limits = new KeyLimits(redisKeyCounters(redis, 300), (operation) => unavailable.push(operation));
    const limited = key({ rateLimitPerMin: 1, tokensPerMin: 1_000 });
    await limits.check(limited);
    redisSwitch.pause();
    try {
      const started = Date.now();
      // Over the limit, but the counter cannot say so: let through, not held until Redis returns.
      await expect(limits.check(limited)).resolves.toBeUndefined();
      limits.charge(limited, { inputTokens: 1, outputTokens: 1 }, undefined);
      expect(Date.now() - started).toBeLessThan(2_000);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(unavailable).toEqual(['check', 'charge']);
    } finally {
      await redisSwitch.on();
    }
    await expect(limits.check(limited)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('rebuilds a lost spend counter from the request logs, never counting a charge twice', async () => {
    const dayStart = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    let logged = 700;
    const ledger = async () => logged;
    const [a, b] = [new KeyLimits(redisKeyCounters(redis, 1_000), () => undefined, Date.now, ledger), new KeyLimits(redisKeyCounters(redis, 1_000), () => undefined, Date.now, ledger)];
    const budgeted = key({ budgetMicroUsd: 1_000, budgetPeriod: 'day' });
    const counters = redisKeyCounters(redis, 1_000);
    // A budget set mid-period: the 700 spent before it count.
    await a.check(budgeted);
    expect(await counters.spent(budgeted.id, 'day', dayStart)).toBe(700);
    b.charge(budgeted, undefined, 200);
    await settle();
    logged = 900;
    // Redis loses the counters (a restart without persistence); a charge lands before the next check.
    await redis.del(`keylim:{${budgeted.id}}:spend:day:${dayStart}`, `keylim:{${budgeted.id}}:spend:day:${dayStart}:seeded`);
    a.charge(budgeted, undefined, 50);
    await settle();
    // Reseeded as the larger of the logs (900) and the counter (50, not yet logged): 900, then refused at 1,000.
    await b.check(budgeted);
    expect(await counters.spent(budgeted.id, 'day', dayStart)).toBe(900);
    b.charge(budgeted, undefined, 100);
    await settle();
    await expect(a.check(budgeted)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    const ttl = await redis.pttl(`keylim:{${budgeted.id}}:spend:day:${dayStart}:seeded`);
    expect(ttl).toBeGreaterThan(0);
  });
});
