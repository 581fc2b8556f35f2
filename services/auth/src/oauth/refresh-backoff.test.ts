import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { RefreshBackoff, refreshBackoffMs } from './refresh-backoff.js';

const settings = { baseMs: 1_000, maxMs: 60_000 };

describe('refresh backoff', () => {
  it('doubles from one second up to a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => refreshBackoffMs(n, settings))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('refuses refreshes of a failing account until its step ends, with the last error and the time left', () => {
    let now = 0;
    const backoff = new RefreshBackoff(settings, () => now);
    const error = new AppError('UNAVAILABLE', 'oauth token endpoint failed for account 3 (status 500)', { details: { status: '500' } });
    expect(backoff.failed(3, error)).toBe(1_000);
    expect(backoff.allows(3)).toBe(false);
    expect(backoff.allows(4)).toBe(true);
    now = 400;
    expect(() => backoff.check(3)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE', retryAfterMs: 600, details: { status: '500' } }));
    now = 1_000;
    expect(backoff.allows(3)).toBe(true);
    expect(() => backoff.check(3)).not.toThrow();
    expect(backoff.failed(3, error)).toBe(2_000);
    backoff.clear(3);
    expect(backoff.allows(3)).toBe(true);
  });
});
