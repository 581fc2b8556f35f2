import { redisKeys, type RedisClient } from '@aigw/redis';
import { withinTime } from '../within-time.js';
import type { AdmitAnswer, AdmitQuery, ChargeQuery, KeyCounters } from './key-limits.js';

// Refuses without counting when the period's spend or the minute's tokens reached their limit; otherwise counts
// the request in its minute. Returns {requests counted (0 when not counted), tokens this minute, spend this period,
// 1 when the spend was seeded from the logs, or no budget or no seeding applies}. When the caller can seed
// (ARGV[5] = 1), an unseeded budget counts nothing: the caller seeds it and asks again.
const ADMIT_LUA = `
local tokens = tonumber(redis.call('GET', KEYS[2]) or '0')
local spent = tonumber(redis.call('GET', KEYS[3]) or '0')
local budget = tonumber(ARGV[3])
if budget >= 0 and ARGV[5] == '1' and redis.call('EXISTS', KEYS[4]) == 0 then return {0, tokens, spent, 0} end
if budget >= 0 and spent >= budget then return {0, tokens, spent, 1} end
local tokenLimit = tonumber(ARGV[2])
if tokenLimit > 0 and tokens >= tokenLimit then return {0, tokens, spent, 1} end
local requests = 0
if tonumber(ARGV[1]) > 0 then
  requests = redis.call('INCR', KEYS[1])
  if requests == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
end
return {requests, tokens, spent, 1}
`;

// Raises the period's spend to the logs' sum (never lowers it: charges since the loss may not be logged yet) and
// marks it seeded; both live as long as the period's spend.
const SEED_LUA = `
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local seed = tonumber(ARGV[1])
if seed > spent then redis.call('SET', KEYS[1], ARGV[1]) elseif spent == 0 then redis.call('SET', KEYS[1], '0') end
redis.call('SET', KEYS[2], '1')
if tonumber(ARGV[2]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
else
  redis.call('PERSIST', KEYS[1])
end
return 0
`;

// Adds a finished request's tokens to its minute and its cost to the budget period's spend.
const CHARGE_LUA = `
if tonumber(ARGV[1]) > 0 then
  redis.call('INCRBY', KEYS[1], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
if tonumber(ARGV[2]) > 0 then
  redis.call('INCRBY', KEYS[2], ARGV[2])
  if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
end
return 0
`;

/** How long a minute's counters live: past their minute, so a late charge still finds them. */
const MINUTE_TTL_MS = 120_000;
/** A period's spend lives this long past the period's end. */
const SPEND_GRACE_MS = 3_600_000;

type Scripted = RedisClient & {
  aigwKeyAdmit(requests: string, tokens: string, spend: string, seeded: string, requestLimit: number, tokenLimit: number, budget: number, ttlMs: number, seeding: number): Promise<[number, number, number, number]>;
  aigwKeyCharge(tokens: string, spend: string, tokenCount: number, cost: number, ttlMs: number, spendTtlMs: number): Promise<number>;
  aigwKeySeed(spend: string, seeded: string, microUsd: number, spendTtlMs: number): Promise<number>;
};

const defined = new WeakSet<RedisClient>();

function scripted(redis: RedisClient): Scripted {
  if (!defined.has(redis)) {
    redis.defineCommand('aigwKeyAdmit', { lua: ADMIT_LUA, numberOfKeys: 4 });
    redis.defineCommand('aigwKeyCharge', { lua: CHARGE_LUA, numberOfKeys: 2 });
    redis.defineCommand('aigwKeySeed', { lua: SEED_LUA, numberOfKeys: 2 });
    defined.add(redis);
  }
  return redis as Scripted;
}

function spendKey(apiKeyId: number, period: string, periodStartMs: number): string {
  return redisKeys.keyLimit(apiKeyId, `spend:${period}:${periodStartMs}`);
}

/** Present once the period's spend was seeded from the request logs. */
function seededKey(apiKeyId: number, period: string, periodStartMs: number): string {
  return redisKeys.keyLimit(apiKeyId, `spend:${period}:${periodStartMs}:seeded`);
}

/** A period's spend lives until an hour past the period's end (0: a `total` budget, kept). */
function spendTtl(periodEndMs: number | null, nowMs: number): number {
  return periodEndMs === null ? 0 : Math.max(1, periodEndMs - nowMs) + SPEND_GRACE_MS;
}

/**
 * A client key's limit counters in Redis: one script call to admit a request, one to charge it. A Redis that does
 * not answer within `timeoutMs` counts as unreachable (KeyLimits then lets the request through).
 */
export function redisKeyCounters(redis: RedisClient, timeoutMs: number): KeyCounters {
  // Defined before anything is sent (see RefreshLock): a batch made before the definition would lack it.
  const client = scripted(redis);
  return {
    async admit(query: AdmitQuery): Promise<AdmitAnswer> {
      const call = client.aigwKeyAdmit(
        redisKeys.keyLimit(query.apiKeyId, `req:${query.minute}`),
        redisKeys.keyLimit(query.apiKeyId, `tok:${query.minute}`),
        spendKey(query.apiKeyId, query.period, query.periodStartMs),
        seededKey(query.apiKeyId, query.period, query.periodStartMs),
        query.requestLimit,
        query.tokenLimit,
        query.budgetMicroUsd ?? -1,
        MINUTE_TTL_MS,
        query.seeding === true ? 1 : 0,
      );
      const [requests, tokens, spentMicroUsd, seeded] = await withinTime(call, timeoutMs, () => new Error('key-limit counters timed out'));
      return { requests: Number(requests), tokens: Number(tokens), spentMicroUsd: Number(spentMicroUsd), spendSeeded: Number(seeded) === 1 };
    },
    async charge(query: ChargeQuery): Promise<void> {
      const spendTtlMs = spendTtl(query.periodEndMs, query.nowMs);
      const call = client.aigwKeyCharge(
        redisKeys.keyLimit(query.apiKeyId, `tok:${query.minute}`),
        spendKey(query.apiKeyId, query.period, query.periodStartMs),
        query.tokens,
        query.costMicroUsd,
        MINUTE_TTL_MS,
        spendTtlMs,
      );
      await withinTime(call, timeoutMs, () => new Error('key-limit counters timed out'));
    },
    async seedSpend(query) {
      const call = client.aigwKeySeed(
        spendKey(query.apiKeyId, query.period, query.periodStartMs),
        seededKey(query.apiKeyId, query.period, query.periodStartMs),
        Math.max(0, Math.round(query.microUsd)),
        spendTtl(query.periodEndMs, query.nowMs),
      );
      await withinTime(call, timeoutMs, () => new Error('key-limit counters timed out'));
    },
    async spent(apiKeyId, period, periodStartMs) {
      const value = await withinTime(redis.get(spendKey(apiKeyId, period, periodStartMs)), timeoutMs, () => new Error('key-limit counters timed out'));
      return Number(value ?? 0);
    },
  };
}
