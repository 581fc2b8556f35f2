import { AffinityOutcome } from '@aigw/proto';
import type { SelectableAccount } from '../accounts/provider-accounts.js';
import type { LocalCooldowns } from '../outcomes/local-cooldowns.js';
import { minuteWindow, pickWithAffinity, type AffinityBinding, type AffinityPick, type RingSlot } from './ring-walk.js';

/** Conversations whose binding this process remembers; the oldest is forgotten first. */
const MAX_BINDINGS = 10_000;

/**
 * The selection rule of select-script.ts run in this process, for while Redis is unreachable: a round-robin
 * counter per provider and model, per-minute limits counted by this process only, the cooldowns this process
 * knows of, and affinity bindings remembered here. Exact across replicas it is not (each rotates on its own and
 * allows each account its whole limit); that is the price of serving at all.
 */
export class LocalRotation {
  readonly #counters = new Map<string, number>();
  /** accountId → requests counted in `window`. */
  readonly #used = new Map<number, { window: number; count: number }>();
  /** Binding key → account id; a Map keeps insertion order, so re-inserting on use makes it an LRU. */
  readonly #bindings = new Map<string, number>();

  constructor(
    private readonly cooldowns: LocalCooldowns,
    private readonly now: () => number = Date.now,
  ) {}

  /** Picks from `accounts` (ring order) for `model`; `bindingKey` empty for plain round robin. */
  select(ringKey: string, accounts: readonly SelectableAccount[], model: string, excluded: ReadonlySet<number>, bindingKey: string): Omit<AffinityPick, 'advancesCounter'> {
    const { window, msToNext } = minuteWindow(this.now());
    const slots: RingSlot[] = accounts.map(({ account, limit }) => ({
      excluded: excluded.has(account.id),
      cooldownPttl: this.cooldowns.remaining(account.id, model),
      used: this.#usedIn(account.id, window),
      limit,
    }));
    const counterKey = `${ringKey}\u0000${model}`;
    const binding = this.#binding(bindingKey, accounts);
    // The counter advances only when the walk runs (as in the script), so honoured bindings leave the rotation alone.
    const counter = (this.#counters.get(counterKey) ?? 0) + 1;
    const { pick, affinity, advancesCounter } = pickWithAffinity(slots, binding, counter, msToNext);
    if (advancesCounter) this.#counters.set(counterKey, counter);
    if (pick.kind === 'chosen') {
      const chosen = accounts[pick.index]!;
      if (chosen.limit > 0) this.#count(chosen.account.id, window);
      if (bindingKey !== '') this.#bind(bindingKey, chosen.account.id);
    }
    return { pick, affinity: pick.kind === 'chosen' ? affinity : AffinityOutcome.AFFINITY_OUTCOME_NONE };
  }

  /** Remembers a binding Redis made, so that the conversation keeps its account if Redis goes away. */
  remember(bindingKey: string, accountId: number): void {
    this.#bind(bindingKey, accountId);
  }

  #binding(bindingKey: string, accounts: readonly SelectableAccount[]): AffinityBinding {
    if (bindingKey === '') return { kind: 'none' };
    const accountId = this.#bindings.get(bindingKey);
    if (accountId === undefined) return { kind: 'unbound' };
    const index = accounts.findIndex(({ account }) => account.id === accountId);
    return { kind: 'bound', index: index < 0 ? null : index };
  }

  #bind(bindingKey: string, accountId: number): void {
    this.#bindings.delete(bindingKey);
    this.#bindings.set(bindingKey, accountId);
    if (this.#bindings.size > MAX_BINDINGS) {
      const oldest = this.#bindings.keys().next();
      if (oldest.done !== true) this.#bindings.delete(oldest.value);
    }
  }

  #usedIn(accountId: number, window: number): number {
    const used = this.#used.get(accountId);
    return used !== undefined && used.window === window ? used.count : 0;
  }

  #count(accountId: number, window: number): void {
    const used = this.#used.get(accountId);
    if (used !== undefined && used.window === window) used.count += 1;
    else this.#used.set(accountId, { window, count: 1 });
  }
}
