import { AppError } from '@aigw/errors';
import type { ApiKeyRecord } from './api-key-cache.js';

/** Increments a per-key window counter and returns the new count (Redis INCR + PEXPIRE). */
export type WindowCounter = (apiKeyId: number, window: number, ttlMs: number) => Promise<number>;

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows per client key. When the counter cannot be reached the request goes through:
 * a limiter outage must not take the gateway down with it.
 */
export class ClientRateLimiter {
  constructor(
    private readonly count: WindowCounter,
    private readonly onCounterError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws RATE_LIMITED (with the time to the next window) when the key is over its per-minute limit. */
  async check(key: ApiKeyRecord): Promise<void> {
    const limit = key.rateLimitPerMin;
    if (limit === null || limit <= 0) return;
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    let used: number;
    try {
      used = await this.count(key.id, window, WINDOW_MS * 2);
    } catch (error) {
      this.onCounterError(error);
      return;
    }
    if (used > limit) {
      throw new AppError('RATE_LIMITED', `rate limit of ${limit} requests per minute exceeded for this API key`, {
        retryAfterMs: (window + 1) * WINDOW_MS - now,
      });
    }
  }
}
