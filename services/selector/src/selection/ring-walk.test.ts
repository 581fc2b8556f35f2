import { AffinityOutcome } from '@aigw/proto';
import { describe, expect, it } from 'vitest';
import { minuteWindow, pickWithAffinity, walkRing, type RingSlot } from './ring-walk.js';

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

describe('pickWithAffinity', () => {
  const { AFFINITY_OUTCOME_NONE: NONE, AFFINITY_OUTCOME_HIT: HIT, AFFINITY_OUTCOME_NEW_BINDING: NEW, AFFINITY_OUTCOME_REBOUND: REBOUND } = AffinityOutcome;
  const three = [free(), free(), free()];

  it('without a key is the plain ring walk', () => {
    expect(pickWithAffinity(three, { kind: 'none' }, 2, 1000)).toEqual({ pick: { kind: 'chosen', index: 1 }, affinity: NONE, advancesCounter: true });
  });

  it('binds an unbound key to the account the ring walk picks', () => {
    expect(pickWithAffinity(three, { kind: 'unbound' }, 3, 1000)).toEqual({ pick: { kind: 'chosen', index: 2 }, affinity: NEW, advancesCounter: true });
  });

  it('gives a bound key its usable account again without advancing the counter', () => {
    expect(pickWithAffinity(three, { kind: 'bound', index: 0 }, 2, 1000)).toEqual({ pick: { kind: 'chosen', index: 0 }, affinity: HIT, advancesCounter: false });
  });

  it('rebinds when the bound account is cooling down, over its limit, excluded or gone from the ring', () => {
    for (const slots of [
      [free({ cooldownPttl: 5_000 }), free(), free()],
      [free({ cooldownPttl: -1 }), free(), free()],
      [free({ limit: 3, used: 3 }), free(), free()],
      [free({ excluded: true }), free(), free()],
    ]) {
      expect(pickWithAffinity(slots, { kind: 'bound', index: 0 }, 1, 1000)).toEqual({ pick: { kind: 'chosen', index: 1 }, affinity: REBOUND, advancesCounter: true });
    }
    expect(pickWithAffinity(three, { kind: 'bound', index: null }, 3, 1000)).toEqual({ pick: { kind: 'chosen', index: 2 }, affinity: REBOUND, advancesCounter: true });
  });

  it('reports no affinity when nothing can serve, with the same hint as the walk', () => {
    const slots = [free({ cooldownPttl: 700 }), free({ excluded: true })];
    expect(pickWithAffinity(slots, { kind: 'bound', index: 0 }, 1, 1000)).toEqual({ pick: { kind: 'exhausted', retryAfterMs: 700 }, affinity: NONE, advancesCounter: true });
  });
});

describe('minuteWindow', () => {
  it('names the window and the time left in it', () => {
    expect(minuteWindow(120_000)).toEqual({ window: 2, msToNext: 60_000 });
    expect(minuteWindow(179_999)).toEqual({ window: 2, msToNext: 1 });
  });
});
