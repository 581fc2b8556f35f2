import { AppError } from '@aigw/errors';
import { withinTime } from '../within-time.js';
import type { BudgetPeriod } from './budget-period.js';

/** What ingress needs to know about a client key. */
export interface ApiKeyRecord {
  id: number;
  rateLimitPerMin: number | null;
  revoked: boolean;
  /** Prompt + answer tokens per minute; null or absent = no limit. */
  tokensPerMin?: number | null;
  /** Spend allowed per budgetPeriod in micro-USD; null or absent = no budget. */
  budgetMicroUsd?: number | null;
  budgetPeriod?: BudgetPeriod;
  /** After this time (ms since the epoch) the key is refused. */
  expiresAtMs?: number | null;
  /** Model names (or `*` patterns) the key may use; null or absent = all. */
  allowedModels?: readonly string[] | null;
}

/** Where key records come from (api_keys in MySQL). */
export interface ApiKeyStore {
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
}

export interface ApiKeyCacheOptions {
  ttlMs: number;
  /** Unknown keys are remembered briefly so a flood of bad keys does not reach the database. */
  negativeTtlMs: number;
  /** Lifetime of a known key while change events do not arrive (setEventsConnected(false)); default ttlMs. */
  busDownTtlMs?: number;
  /** How long after its last successful check an entry is still served while the store fails (default 10 min). */
  staleIfErrorMs?: number;
  /** Cap on one store lookup (default 2 s): a stalled database never holds a request longer. */
  timeoutMs?: number;
  /** Told each time a request is answered from an entry the failing store could not recheck. */
  onStaleServed?: () => void;
  /** Every lookup: hit when answered from memory without waiting on MySQL (the cache hit ratio metric). */
  onLookup?: (hit: boolean) => void;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  record: ApiKeyRecord | null;
  checkedAt: number;
  /** The clear() generation it was checked in: an older one is rechecked before it is trusted again. */
  generation: number;
  /** A recheck after a change event failed: served, but rechecked on every use until one succeeds. */
  unconfirmed?: boolean;
}

/**
 * In-memory cache of api_keys by hash, with a short negative cache and single-flight loads.
 *
 * An entry past its lifetime is served at once while it is rechecked in the background, so a database outage
 * costs known keys nothing (stale-if-error, bounded by staleIfErrorMs and counted); a key never seen before
 * while the database is down gets UNAVAILABLE (503) within timeoutMs, never a hang and never a 401. After a
 * change event (clear()) every entry is rechecked before it is served again, and served stale only if that fails.
 */
export class ApiKeyCache {
  private readonly known = new Map<string, Entry>();
  /** Unknown keys apart, so a flood of random keys cannot push the known ones out. */
  private readonly unknown = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<ApiKeyRecord | null>>();
  private generation = 0;
  private eventsConnected = true;
  /** The last store lookup failed: entries served past their lifetime are served because of that. */
  private storeFailing = false;
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly staleIfErrorMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly options: ApiKeyCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.staleIfErrorMs = options.staleIfErrorMs ?? 10 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  /** The record for a key hash, or null when no such key exists; UNAVAILABLE when it cannot be known now. */
  lookup(keyHash: string): Promise<ApiKeyRecord | null> {
    const entry = this.known.get(keyHash) ?? this.unknown.get(keyHash);
    if (entry === undefined) {
      this.options.onLookup?.(false);
      return this.load(keyHash).catch(unavailable);
    }
    const age = this.now() - entry.checkedAt;
    const current = entry.generation === this.generation;
    const fresh = current && !entry.unconfirmed && age < this.lifetime(entry);
    // A hit is an answer from memory, without waiting on MySQL (a stale-while-revalidate answer too).
    this.options.onLookup?.(fresh || (current && age < this.staleIfErrorMs));
    if (fresh) return Promise.resolve(entry.record);
    if (age >= this.staleIfErrorMs) return this.load(keyHash).catch(unavailable);
    if (current) {
      // Stale-while-revalidate: the recheck's failure is recorded in storeFailing.
      this.load(keyHash).catch(() => undefined);
      if (this.storeFailing) this.options.onStaleServed?.();
      return Promise.resolve(entry.record);
    }
    // Changed since (a change event): recheck first, and fall back to the entry only when the store fails;
    // from then on it is served while being rechecked, so the outage costs one wait, not one per request.
    return this.load(keyHash).catch(() => {
      entry.generation = this.generation;
      entry.unconfirmed = true;
      this.options.onStaleServed?.();
      return entry.record;
    });
  }

  /** Keys change somewhere (created, changed, revoked): every entry is rechecked before it is served again. */
  clear(): void {
    this.generation += 1;
    this.unknown.clear();
  }

  /**
   * Whether change events reach this replica. While they do not (NATS down), a revocation can only be learnt
   * from the database, so known keys live busDownTtlMs instead of ttlMs; when they do again, the events missed
   * meanwhile are made up for by a clear().
   */
  setEventsConnected(connected: boolean): void {
    if (connected && !this.eventsConnected) this.clear();
    this.eventsConnected = connected;
  }

  private lifetime(entry: Entry): number {
    if (entry.record === null) return this.options.negativeTtlMs;
    return this.eventsConnected ? this.options.ttlMs : Math.min(this.options.ttlMs, this.options.busDownTtlMs ?? this.options.ttlMs);
  }

  private load(keyHash: string): Promise<ApiKeyRecord | null> {
    const pending = this.loading.get(keyHash);
    if (pending) return pending;
    const generation = this.generation;
    const lookup = withinTime(this.store.findByHash(keyHash), this.timeoutMs, () => new Error('client key lookup timed out'));
    const load = lookup.then(
      (record) => {
        if (this.loading.get(keyHash) === load) this.loading.delete(keyHash);
        this.storeFailing = false;
        // A config change during the load may have made this answer stale: use it once, do not keep it.
        if (generation === this.generation) this.remember(keyHash, record);
        return record;
      },
      (error: unknown) => {
        // Also on a timeout: the next request may try again, so a lookup lost with its connection is not waited on forever.
        if (this.loading.get(keyHash) === load) this.loading.delete(keyHash);
        this.storeFailing = true;
        throw error;
      },
    );
    this.loading.set(keyHash, load);
    return load;
  }

  private remember(keyHash: string, record: ApiKeyRecord | null): void {
    const entries = record === null ? this.unknown : this.known;
    // Bounded by dropping everything: cheap, and random-key floods cannot grow memory.
    if (entries.size >= this.maxEntries && !entries.has(keyHash)) entries.clear();
    (record === null ? this.known : this.unknown).delete(keyHash);
    entries.set(keyHash, { record, checkedAt: this.now(), generation: this.generation });
  }
}

function unavailable(cause: unknown): never {
  throw new AppError('UNAVAILABLE', 'client keys cannot be checked right now; try again shortly', { cause, retryAfterMs: 1_000 });
}
