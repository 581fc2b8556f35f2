import { redisKeys, type RedisClient } from '@aigw/redis';
import type { WindowCounter } from './client-rate-limit.js';

/** The per-key window counter in Redis: INCR and PEXPIRE, pipelined together (auto-pipelining). */
export function redisWindowCounter(redis: RedisClient): WindowCounter {
  return async (apiKeyId, window, ttlMs) => {
    const key = redisKeys.clientRateLimit(apiKeyId, window);
    const [count] = await Promise.all([redis.incr(key), redis.pexpire(key, ttlMs)]);
    return count;
  };
}
