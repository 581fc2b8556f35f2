/**
 * The selection rule, as a pure function. select-script.ts runs the same walk in Lua inside Redis (one round
 * trip, atomic across replicas); this copy documents it and is what the unit tests pin down. Keep them equal.
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

/** Length of a per-account limit window. */
export const WINDOW_MS = 60_000;

/** The minute window `now` falls in, and how long until the next one starts. */
export function minuteWindow(now: number): { window: number; msToNext: number } {
  const window = Math.floor(now / WINDOW_MS);
  return { window, msToNext: (window + 1) * WINDOW_MS - now };
}
