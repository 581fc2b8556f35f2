import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type RedisClient } from '@aigw/redis';
import { TcpSwitch } from '../../../test/faults/support/tcp-switch.js';
import { ClientRateLimiter } from '../src/keys/client-rate-limit.js';
import { redisWindowCounter } from '../src/keys/redis-window-counter.js';

// DESIGN §9: a Redis that stalls or goes away must not hold or fail a request for its rate limit. Real Redis,
// behind a switch this test owns (the machine's Redis is never touched).

const redisSwitch = new TcpSwitch('127.0.0.1', 6379);
let redis: RedisClient;

beforeAll(async () => {
  await redisSwitch.on();
  redis = createRedis(`redis://${redisSwitch.address}`, { keyPrefix: `test:rl-outage:${process.pid}:` });
  redis.on('error', () => undefined);
});

afterAll(async () => {
  redis.disconnect();
  await redisSwitch.off();
});

describe('the client rate limit while Redis stalls', () => {
  it('allows the request within the counter timeout and reports the skip, then limits again once Redis answers', async () => {
    const skipped: unknown[] = [];
    const limiter = new ClientRateLimiter(redisWindowCounter(redis, 300), (error) => skipped.push(error));
    const key = { id: Date.now(), rateLimitPerMin: 1, revoked: false };
    await limiter.check(key);
    redisSwitch.pause();
    try {
      const started = Date.now();
      // Over the limit, but the counter cannot say so: let through, not held until Redis returns.
      await expect(limiter.check(key)).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(skipped).toHaveLength(1);
    } finally {
      await redisSwitch.on();
    }
    await expect(limiter.check(key)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
