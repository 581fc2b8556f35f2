import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { ClientRateLimiter } from './client-rate-limit.js';

const key = (rateLimitPerMin: number | null) => ({ id: 4, rateLimitPerMin, revoked: false });

describe('ClientRateLimiter', () => {
  it('lets requests through up to the limit, then answers RATE_LIMITED until the next minute', async () => {
    const counts = new Map<number, number>();
    const limiter = new ClientRateLimiter(
      async (_id, window) => {
        counts.set(window, (counts.get(window) ?? 0) + 1);
        return counts.get(window)!;
      },
      () => undefined,
      () => 120_000 + 45_000,
    );
    await limiter.check(key(2));
    await limiter.check(key(2));
    const error = await limiter.check(key(2)).catch((e: unknown) => e as AppError);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('RATE_LIMITED');
    expect((error as AppError).retryAfterMs).toBe(15_000);
  });

  it('does not count keys without a limit', async () => {
    let calls = 0;
    const limiter = new ClientRateLimiter(async () => ++calls, () => undefined);
    await limiter.check(key(null));
    expect(calls).toBe(0);
  });

  it('lets requests through when the counter is down, and reports it', async () => {
    const errors: unknown[] = [];
    const limiter = new ClientRateLimiter(
      async () => {
        throw new Error('redis down');
      },
      (e) => errors.push(e),
    );
    await expect(limiter.check(key(1))).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
