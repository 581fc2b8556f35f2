import { describe, expect, it } from 'vitest';
import { AffinityOutcome, type Account } from '@aigw/proto';
import type { SelectableAccount } from '../accounts/provider-accounts.js';
import { LocalCooldowns } from '../outcomes/local-cooldowns.js';
import { LocalRotation } from './local-rotation.js';

const settings = { baseMs: 1_000, maxMs: 60_000, authFailureMs: 30_000 };

function ring(ids: number[], limit = 0): SelectableAccount[] {
  return ids.map((id) => ({ account: { id } as Account, limit }));
}

function setup(start = 1_000_000) {
  let now = start;
  const cooldowns = new LocalCooldowns(settings, () => now);
  const rotation = new LocalRotation(cooldowns, () => now);
  const pickId = (accounts: SelectableAccount[], model = 'm', exclude: number[] = [], bindingKey = '') => {
    const { pick, affinity } = rotation.select('p', accounts, model, new Set(exclude), bindingKey);
    return { id: pick.kind === 'chosen' ? accounts[pick.index]!.account.id : undefined, pick, affinity };
  };
  return { cooldowns, rotation, pickId, advance: (ms: number) => (now += ms) };
}

describe('in-process rotation (Redis unreachable)', () => {
  it('rotates round robin per model, skipping excluded accounts', () => {
    const { pickId } = setup();
    const accounts = ring([1, 2, 3]);
    expect([1, 2, 3, 4, 5, 6].map(() => pickId(accounts).id)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(pickId(accounts, 'other').id).toBe(1);
    expect(pickId(accounts, 'm', [1]).id).toBe(2);
  });

  it('skips an account this process cooled down until its cooldown ends', () => {
    const { pickId, cooldowns, advance } = setup();
    const accounts = ring([1, 2]);
    expect(cooldowns.apply(1, 'm', { kind: 'backoff', fixedMs: 0 })).toBe(1_000);
    expect([0, 1, 2, 3].map(() => pickId(accounts).id)).toEqual([2, 2, 2, 2]);
    advance(1_001);
    expect(new Set([0, 1].map(() => pickId(accounts).id))).toEqual(new Set([1, 2]));
  });

  it('answers exhausted with the soonest retry when every account cools down', () => {
    const { pickId, cooldowns } = setup();
    cooldowns.note(1, 'm', 5_000);
    cooldowns.apply(2, 'm', { kind: 'fixed', ms: 30_000 });
    expect(pickId(ring([1, 2])).pick).toEqual({ kind: 'exhausted', retryAfterMs: 5_000 });
  });

  it('keeps a per-minute limit counted by this process', () => {
    const { pickId, advance } = setup(60_000 * 100);
    const accounts = ring([1], 2);
    expect([0, 1].map(() => pickId(accounts).id)).toEqual([1, 1]);
    expect(pickId(accounts).pick).toEqual({ kind: 'exhausted', retryAfterMs: 60_000 });
    advance(60_000);
    expect(pickId(accounts).id).toBe(1);
  });

  it('honours a binding made in Redis before the outage and binds new conversations', () => {
    const { pickId, rotation } = setup();
    const accounts = ring([1, 2, 3]);
    rotation.remember('conv-a', 3);
    expect(pickId(accounts, 'm', [], 'conv-a')).toMatchObject({ id: 3, affinity: AffinityOutcome.AFFINITY_OUTCOME_HIT });
    const fresh = pickId(accounts, 'm', [], 'conv-b');
    expect(fresh.affinity).toBe(AffinityOutcome.AFFINITY_OUTCOME_NEW_BINDING);
    expect(pickId(accounts, 'm', [], 'conv-b')).toMatchObject({ id: fresh.id, affinity: AffinityOutcome.AFFINITY_OUTCOME_HIT });
    // A bound account that is excluded is replaced, and the conversation follows the new one.
    const rebound = pickId(accounts, 'm', [3], 'conv-a');
    expect(rebound.affinity).toBe(AffinityOutcome.AFFINITY_OUTCOME_REBOUND);
    expect(pickId(accounts, 'm', [], 'conv-a').id).toBe(rebound.id);
  });
});

describe('local cooldowns', () => {
  it('back off per failure streak like the outcome script, and a success ends the streak', () => {
    const { cooldowns } = setup();
    const backoff = { kind: 'backoff', fixedMs: 0 } as const;
    expect([1, 2, 3].map(() => cooldowns.apply(7, 'm', backoff))).toEqual([1_000, 2_000, 4_000]);
    expect(cooldowns.apply(7, 'm', { kind: 'backoff', fixedMs: 9_000 })).toBe(9_000);
    expect(cooldowns.apply(7, 'm', { kind: 'reset' })).toBe(0);
    expect(cooldowns.apply(7, 'm', backoff)).toBe(1_000);
    expect(cooldowns.remaining(8, 'm')).toBe(-2);
  });
});
