import { describe, expect, it } from 'vitest';
import { backoffMs, cooldownAction, cooldownReason, cooldownSource } from './cooldown-policy.js';

const settings = { baseMs: 1_000, maxMs: 60_000, authFailureMs: 30_000 };

describe('cooldownAction', () => {
  it('ends the failure streak on success', () => {
    expect(cooldownAction(200, 0, settings)).toEqual({ kind: 'reset' });
    expect(cooldownAction(204, 5_000, settings)).toEqual({ kind: 'reset' });
  });

  it('honours Retry-After on 429 and backs off without it', () => {
    expect(cooldownAction(429, 2_500, settings)).toEqual({ kind: 'backoff', fixedMs: 2_500 });
    expect(cooldownAction(429, 0, settings)).toEqual({ kind: 'backoff', fixedMs: 0 });
  });

  it('backs off on server errors, timeouts and connect errors', () => {
    for (const status of [0, 408, 500, 502, 503, 504]) expect(cooldownAction(status, 0, settings)).toEqual({ kind: 'backoff', fixedMs: 0 });
  });

  it('parks an account with rejected credentials for the auth cooldown', () => {
    expect(cooldownAction(401, 0, settings)).toEqual({ kind: 'fixed', ms: 30_000 });
    expect(cooldownAction(403, 0, settings)).toEqual({ kind: 'fixed', ms: 30_000 });
  });

  it('leaves the account alone when the request itself was bad', () => {
    for (const status of [400, 404, 413, 422]) expect(cooldownAction(status, 0, settings)).toEqual({ kind: 'none' });
  });
});

describe('backoffMs', () => {
  it('doubles per consecutive failure up to the cap', () => {
    expect([1, 2, 3, 4, 6, 7, 8, 100].map((n) => backoffMs(n, settings))).toEqual([1_000, 2_000, 4_000, 8_000, 32_000, 60_000, 60_000, 60_000]);
  });
});

describe('cooldownReason and cooldownSource', () => {
  it('names why an account cools down', () => {
    expect(cooldownReason(429, 'quota-reset')).toBe('quota_exhausted');
    expect(cooldownReason(429, 'retry-info')).toBe('rate_limited');
    expect(cooldownReason(429, '')).toBe('rate_limited');
    expect(cooldownReason(401, '')).toBe('auth_failed');
    expect(cooldownReason(0, '')).toBe('timeout');
    expect(cooldownReason(503, 'retry-after')).toBe('upstream_error');
  });

  it('credits the upstream hint only when its delay was used', () => {
    expect(cooldownSource({ kind: 'backoff', fixedMs: 5_000 }, 'quota-reset')).toBe('quota-reset');
    expect(cooldownSource({ kind: 'backoff', fixedMs: 5_000 }, '')).toBe('retry-after');
    expect(cooldownSource({ kind: 'backoff', fixedMs: 0 }, 'retry-info')).toBe('default');
    expect(cooldownSource({ kind: 'fixed', ms: 30_000 }, 'retry-after')).toBe('default');
  });
});
