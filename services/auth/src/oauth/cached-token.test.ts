import { describe, expect, it } from 'vitest';
import { isFresh, parseCachedToken, refreshAtFor } from './cached-token.js';

const MARGIN = 300_000;

describe('refreshAtFor', () => {
  it('refreshes five minutes before expiry for an ordinary one-hour token', () => {
    expect(refreshAtFor(0, 3_600_000, MARGIN)).toBe(3_300_000);
  });

  it('uses half the lifetime when the token lives shorter than twice the margin', () => {
    expect(refreshAtFor(1_000, 121_000, MARGIN)).toBe(61_000);
  });
});

describe('isFresh', () => {
  it('is fresh until its refresh time and stale from then on', () => {
    const token = { accessToken: 't', expiresAt: 100, refreshAt: 50 };
    expect(isFresh(token, 49)).toBe(true);
    expect(isFresh(token, 50)).toBe(false);
    expect(isFresh(undefined, 0)).toBe(false);
  });
});

describe('parseCachedToken', () => {
  it('reads a token with or without its refresh time', () => {
    expect(parseCachedToken({ accessToken: 'a', expiresAt: 1_000_000, refreshAt: 900_000 }, MARGIN)).toEqual({
      accessToken: 'a',
      expiresAt: 1_000_000,
      refreshAt: 900_000,
    });
    expect(parseCachedToken({ accessToken: 'a', expiresAt: 1_000_000 }, MARGIN)?.refreshAt).toBe(700_000);
  });

  it('rejects values that are not tokens', () => {
    for (const value of [null, 'x', { accessToken: '', expiresAt: 1 }, { accessToken: 'a', expiresAt: '1' }]) {
      expect(parseCachedToken(value, MARGIN)).toBeUndefined();
    }
  });
});
