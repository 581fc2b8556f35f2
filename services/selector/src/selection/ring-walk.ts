import { RATE_WINDOW_MS } from '@aigw/redis';
import { AffinityOutcome } from '@aigw/proto';

/**
 * The selection rule, as pure functions (the ring walk, and session affinity over it). select-script.ts runs the
 * same rule in Lua inside Redis (one round trip, atomic across replicas); this copy documents it and is what the
 * unit tests pin down, and a property test holds the script to it. Keep them equal.
 */

/** What Redis knows about one account of the ring at the moment of selection. */
export interface RingSlot {
  /** The caller asked not to get this account (it already failed this request). */
  excluded: boolean;
  /** PTTL of the account's cooldown key: -2 absent, -1 cooling down without expiry, else ms left. */
  cooldownPttl: number;
  /** Requests counted in the current minute window. */
  used: number;
  /** Requests allowed per minute window; 0 = unlimited. */
  limit: number;
}

export type RingPick = { kind: 'chosen'; index: number } | { kind: 'exhausted'; retryAfterMs: number };

/**
 * Starts at (counter − 1) mod N and returns the first account that is not excluded, not cooling down and
 * under its limit. When none is, `retryAfterMs` is the soonest moment one comes back (0 when unknown).
 */
export function walkRing(slots: readonly RingSlot[], counter: number, msToNextWindow: number): RingPick {
  const n = slots.length;
  const start = (((counter - 1) % n) + n) % n;
  let hint = -1;
  for (let step = 0; step < n; step++) {
    const index = (start + step) % n;
    const slot = slots[index]!;
    if (slot.excluded) continue;
    if (slot.cooldownPttl !== -2) {
      if (slot.cooldownPttl > 0 && (hint < 0 || slot.cooldownPttl < hint)) hint = slot.cooldownPttl;
      continue;
    }
    if (slot.limit > 0 && slot.used >= slot.limit) {
      if (hint < 0 || msToNextWindow < hint) hint = msToNextWindow;
      continue;
    }
    return { kind: 'chosen', index };
  }
  return { kind: 'exhausted', retryAfterMs: Math.max(hint, 0) };
}

/** Whether the account may serve now: not excluded, not cooling down, under its limit. */
export function slotUsable(slot: RingSlot): boolean {
  return !slot.excluded && slot.cooldownPttl === -2 && (slot.limit === 0 || slot.used < slot.limit);
}

/**
 * What the request's affinity key is bound to before the selection: no key at all, a key bound to nothing,
 * or a key bound to the ring slot `index` (null: the bound account is no longer in the ring, e.g. disabled).
 */
export type AffinityBinding = { kind: 'none' } | { kind: 'unbound' } | { kind: 'bound'; index: number | null };

export interface AffinityPick {
  pick: RingPick;
  affinity: AffinityOutcome;
  /** Whether the round-robin counter was advanced (it is not when a binding is honoured). */
  advancesCounter: boolean;
}

/**
 * Session affinity over the ring walk: a bound key whose account is usable gets it again without touching the
 * counter (so new conversations alone drive the rotation and still split evenly); otherwise the walk picks,
 * starting at `counter` (the counter's value after INCR), and the key is (re)bound to its pick.
 */
export function pickWithAffinity(slots: readonly RingSlot[], binding: AffinityBinding, counter: number, msToNextWindow: number): AffinityPick {
  if (binding.kind === 'bound' && binding.index !== null) {
    const slot = slots[binding.index];
    if (slot !== undefined && slotUsable(slot)) {
      return { pick: { kind: 'chosen', index: binding.index }, affinity: AffinityOutcome.AFFINITY_OUTCOME_HIT, advancesCounter: false };
    }
  }
  const pick = walkRing(slots, counter, msToNextWindow);
  const affinity =
    pick.kind === 'exhausted' || binding.kind === 'none'
      ? AffinityOutcome.AFFINITY_OUTCOME_NONE
      : binding.kind === 'unbound'
        ? AffinityOutcome.AFFINITY_OUTCOME_NEW_BINDING
        : AffinityOutcome.AFFINITY_OUTCOME_REBOUND;
  return { pick, affinity, advancesCounter: true };
}

/** Length of a per-account limit window. */
export const WINDOW_MS = RATE_WINDOW_MS;

/** The minute window `now` falls in, and how long until the next one starts. */
export function minuteWindow(now: number): { window: number; msToNext: number } {
  const window = Math.floor(now / WINDOW_MS);
  return { window, msToNext: (window + 1) * WINDOW_MS - now };
}
