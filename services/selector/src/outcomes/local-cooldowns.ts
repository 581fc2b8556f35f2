import { backoffMs, type CooldownAction, type CooldownSettings } from './cooldown-policy.js';

/** Past this many entries, expired ones are swept on the next write. */
const SWEEP_AT = 10_000;

interface Entry {
  /** Unix ms until which the account is skipped for the model; 0 = not cooling down. */
  until: number;
  /** Consecutive failures seen by this process. */
  streak: number;
}

/**
 * This process's copy of the cooldowns it set or learnt from its own outcome reports, per account and model: what
 * the in-process rotation skips while Redis (where every replica shares them) is unreachable.
 */
export class LocalCooldowns {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly settings: CooldownSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Ms the account has left to cool down on `model`; -2 when it is not cooling down (PTTL's answer for none). */
  remaining(accountId: number, model: string): number {
    const entry = this.#entries.get(key(accountId, model));
    const left = entry === undefined ? 0 : entry.until - this.now();
    return left > 0 ? left : -2;
  }

  /** Records a cooldown Redis set (so it is still honoured if Redis goes away). */
  note(accountId: number, model: string, ms: number): void {
    const entry = this.#entry(accountId, model);
    if (ms > 0) entry.until = this.now() + ms;
  }

  /** Applies an outcome without Redis: the same rule as the outcome script, over this process's streak. Returns ms. */
  apply(accountId: number, model: string, action: CooldownAction): number {
    if (action.kind === 'none') return 0;
    const entry = this.#entry(accountId, model);
    if (action.kind === 'reset') {
      entry.streak = 0;
      return 0;
    }
    let ms: number;
    if (action.kind === 'fixed') ms = action.ms;
    else {
      entry.streak += 1;
      ms = action.fixedMs > 0 ? action.fixedMs : backoffMs(entry.streak, this.settings);
    }
    entry.until = this.now() + ms;
    return ms;
  }

  #entry(accountId: number, model: string): Entry {
    const k = key(accountId, model);
    let entry = this.#entries.get(k);
    if (entry === undefined) {
      if (this.#entries.size >= SWEEP_AT) this.#sweep();
      entry = { until: 0, streak: 0 };
      this.#entries.set(k, entry);
    }
    return entry;
  }

  #sweep(): void {
    const now = this.now();
    for (const [k, entry] of this.#entries) if (entry.until <= now) this.#entries.delete(k);
  }
}

const key = (accountId: number, model: string) => `${accountId}\u0000${model}`;
