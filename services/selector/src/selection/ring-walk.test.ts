import { describe, expect, it } from 'vitest';
import { minuteWindow, walkRing, type RingSlot } from './ring-walk.js';

const free = (overrides: Partial<RingSlot> = {}): RingSlot => ({ excluded: false, cooldownPttl: -2, used: 0, limit: 0, ...overrides });

describe('walkRing', () => {
  it('rotates through every account in order as the counter grows', () => {
    const slots = [free(), free(), free()];
    const picks = Array.from({ length: 6 }, (_, i) => walkRing(slots, i + 1, 1000));
    expect(picks.map((p) => (p.kind === 'chosen' ? p.index : -1))).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('skips excluded accounts and takes the next one in the ring', () => {
    expect(walkRing([free(), free({ excluded: true }), free()], 2, 1000)).toEqual({ kind: 'chosen', index: 2 });
    expect(walkRing([free(), free(), free({ excluded: true })], 3, 1000)).toEqual({ kind: 'chosen', index: 0 });
  });

  it('skips accounts in cooldown, including a cooldown without expiry', () => {
    expect(walkRing([free({ cooldownPttl: 500 }), free({ cooldownPttl: -1 }), free()], 1, 1000)).toEqual({ kind: 'chosen', index: 2 });
  });

  it('skips accounts that used up their minute window but not those below it', () => {
    expect(walkRing([free({ limit: 2, used: 2 }), free({ limit: 2, used: 1 })], 1, 1000)).toEqual({ kind: 'chosen', index: 1 });
  });

  it('reports the soonest cooldown expiry when every account is skipped', () => {
    const slots = [free({ cooldownPttl: 900 }), free({ cooldownPttl: 300 }), free({ excluded: true })];
    expect(walkRing(slots, 7, 50_000)).toEqual({ kind: 'exhausted', retryAfterMs: 300 });
  });

  it('reports the next window when a rate-limited account comes back first', () => {
    const slots = [free({ cooldownPttl: 9_000 }), free({ limit: 1, used: 1 })];
    expect(walkRing(slots, 1, 4_000)).toEqual({ kind: 'exhausted', retryAfterMs: 4_000 });
  });

  it('gives no hint when every account was excluded', () => {
    expect(walkRing([free({ excluded: true }), free({ excluded: true })], 1, 1000)).toEqual({ kind: 'exhausted', retryAfterMs: 0 });
  });

  it('spreads any run of counters evenly over the accounts', () => {
    const counts = [0, 0, 0];
    for (let counter = 41; counter < 71; counter++) {
      const pick = walkRing([free(), free(), free()], counter, 1000);
      if (pick.kind === 'chosen') counts[pick.index]!++;
    }
    expect(counts).toEqual([10, 10, 10]);
  });
});

describe('minuteWindow', () => {
  it('names the window and the time left in it', () => {
    expect(minuteWindow(120_000)).toEqual({ window: 2, msToNext: 60_000 });
    expect(minuteWindow(179_999)).toEqual({ window: 2, msToNext: 1 });
  });
});
