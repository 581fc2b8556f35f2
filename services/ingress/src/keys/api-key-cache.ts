/** What ingress needs to know about a client key. */
export interface ApiKeyRecord {
  id: number;
  rateLimitPerMin: number | null;
  revoked: boolean;
}

/** Where key records come from (api_keys in MySQL). */
export interface ApiKeyStore {
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
}

export interface ApiKeyCacheOptions {
  ttlMs: number;
  /** Unknown keys are remembered briefly so a flood of bad keys does not reach the database. */
  negativeTtlMs: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  record: ApiKeyRecord | null;
  expiresAt: number;
}

/** In-memory cache of api_keys by hash, with a short negative cache and single-flight loads. */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<ApiKeyRecord | null>>();
  private generation = 0;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly options: ApiKeyCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 50_000;
  }

  /** The record for a key hash, or null when no such key exists. */
  lookup(keyHash: string): Promise<ApiKeyRecord | null> {
    const entry = this.entries.get(keyHash);
    if (entry && entry.expiresAt > this.now()) return Promise.resolve(entry.record);
    const pending = this.loading.get(keyHash);
    if (pending) return pending;
    const generation = this.generation;
    const load = this.store.findByHash(keyHash).then(
      (record) => {
        this.loading.delete(keyHash);
        // A config change during the load may have made this answer stale: use it once, do not keep it.
        if (generation === this.generation) this.remember(keyHash, record);
        return record;
      },
      (error: unknown) => {
        this.loading.delete(keyHash);
        throw error;
      },
    );
    this.loading.set(keyHash, load);
    return load;
  }

  /** Forgets everything (a key was created, changed or revoked somewhere). */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  private remember(keyHash: string, record: ApiKeyRecord | null): void {
    // Bounded by dropping everything: cheap, and random-key floods cannot grow memory.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const ttl = record ? this.options.ttlMs : this.options.negativeTtlMs;
    this.entries.set(keyHash, { record, expiresAt: this.now() + ttl });
  }
}
