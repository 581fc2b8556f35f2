import { redisKeys, type RedisClient } from '@aigw/redis';
import { withinTime } from '../within-time.js';
import type { AdmitAnswer, AdmitQuery, ChargeQuery, KeyCounters } from './key-limits.js';

// Refuses without counting when the period's spend or the minute's tokens reached their limit; otherwise counts
// the request in its minute. Returns {requests counted (0 when not counted), tokens this minute, spend this period}.
const ADMIT_LUA = `
local tokens = tonumber(redis.call('GET', KEYS[2]) or '0')
local spent = tonumber(redis.call('GET', KEYS[3]) or '0')
local budget = tonumber(ARGV[3])
if budget >= 0 and spent >= budget then return {0, tokens, spent} end
local tokenLimit = tonumber(ARGV[2])
if tokenLimit > 0 and tokens >= tokenLimit then return {0, tokens, spent} end
local requests = 0
if tonumber(ARGV[1]) > 0 then
  requests = redis.call('INCR', KEYS[1])
  if requests == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
end
return {requests, tokens, spent}
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
  aigwKeyAdmit(requests: string, tokens: string, spend: string, requestLimit: number, tokenLimit: number, budget: number, ttlMs: number): Promise<[number, number, number]>;
  aigwKeyCharge(tokens: string, spend: string, tokenCount: number, cost: number, ttlMs: number, spendTtlMs: number): Promise<number>;
};

const defined = new WeakSet<RedisClient>();

function scripted(redis: RedisClient): Scripted {
  if (!defined.has(redis)) {
    redis.defineCommand('aigwKeyAdmit', { lua: ADMIT_LUA, numberOfKeys: 3 });
    redis.defineCommand('aigwKeyCharge', { lua: CHARGE_LUA, numberOfKeys: 2 });
    defined.add(redis);
  }
  return redis as Scripted;
}

function spendKey(apiKeyId: number, period: string, periodStartMs: number): string {
  return redisKeys.keyLimit(apiKeyId, `spend:${period}:${periodStartMs}`);
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
        query.requestLimit,
        query.tokenLimit,
        query.budgetMicroUsd ?? -1,
        MINUTE_TTL_MS,
      );
      const [requests, tokens, spentMicroUsd] = await withinTime(call, timeoutMs, () => new Error('key-limit counters timed out'));
      return { requests: Number(requests), tokens: Number(tokens), spentMicroUsd: Number(spentMicroUsd) };
    },
    async charge(query: ChargeQuery): Promise<void> {
      const spendTtlMs = query.periodEndMs === null ? 0 : Math.max(1, query.periodEndMs - query.nowMs) + SPEND_GRACE_MS;
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
    async spent(apiKeyId, period, periodStartMs) {
      const value = await withinTime(redis.get(spendKey(apiKeyId, period, periodStartMs)), timeoutMs, () => new Error('key-limit counters timed out'));
      return Number(value ?? 0);
    },
  };
}
