import { redisKeys, type RedisClient } from '@aigw/redis';
import { withinTime } from '../within-time.js';
import type { WindowCounter } from './client-rate-limit.js';

/**
 * The per-key window counter in Redis: INCR and PEXPIRE, pipelined together (auto-pipelining). A Redis that
 * does not answer within `timeoutMs` counts as unreachable (the limiter then lets the request through), so a
 * stalled Redis costs a request at most that long.
 */
export function redisWindowCounter(redis: RedisClient, timeoutMs: number): WindowCounter {
  return async (apiKeyId, window, ttlMs) => {
    const key = redisKeys.clientRateLimit(apiKeyId, window);
    const [count] = await withinTime(Promise.all([redis.incr(key), redis.pexpire(key, ttlMs)]), timeoutMs, () => new Error('rate-limit counter timed out'));
    return count;
  };
}
