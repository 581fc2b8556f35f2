import type { Credential } from '@aigw/proto';

export type CredentialFetcher = (accountId: number, deadline: number) => Promise<Credential>;

export interface CredentialCacheOptions {
  /** Longest time a credential is reused without asking auth again. */
  maxAgeMs: number;
  /** Stop using a credential this long before it expires (while auth answers). */
  expiryMarginMs?: number;
  /**
   * How long a credential without an expiry (API key, bearer) is still used after its last successful fetch
   * while auth does not answer; one with an expiry is used until shortly before it (STALE_MIN_VALIDITY_MS).
   */
  staleMaxMs?: number;
  /** Told each time a request gets a credential past its cache age because auth failed to give a newer one. */
  onStaleServed?: () => void;
  /** Every get: hit when answered from memory without waiting on auth (the cache hit ratio metric). */
  onLookup?: (hit: boolean) => void;
  now?: () => number;
}

interface Entry {
  credential: Credential;
  /** Fresh until then; afterwards still handed out (see usable) while a newer one is fetched. */
  until: number;
  fetchedAt: number;
}

/** A stale credential is never handed out with less than this left before its own expiry. */
const STALE_MIN_VALIDITY_MS = 30_000;

/**
 * Credentials per account, kept in process so a request does not pay a gRPC call for each one.
 * Fresh until min(now + maxAge, expiresAt − margin); dropped on an upstream 401 or an account change.
 *
 * Past that, a credential that is still valid is handed out at once while a newer one is fetched in the
 * background (stale-while-revalidate): a stalled or stopped auth then costs no request anything as long as the
 * credentials it gave out last are valid (DESIGN §9), and a request waits for auth only when there is no
 * usable credential at all.
 */
export class CredentialCache {
  private readonly entries = new Map<number, Entry>();
  private readonly loading = new Map<number, Promise<Credential>>();
  /** Accounts whose last fetch failed: their stale credentials are served because auth is failing. */
  private readonly failing = new Set<number>();
  private readonly now: () => number;
  private readonly marginMs: number;
  private readonly staleMaxMs: number;

  constructor(
    private readonly fetch: CredentialFetcher,
    private readonly options: CredentialCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.marginMs = options.expiryMarginMs ?? 5 * 60_000;
    this.staleMaxMs = options.staleMaxMs ?? 10 * 60_000;
  }

  /** A usable credential for the account, from memory or from auth (one fetch per account at a time). */
  get(accountId: number, deadline: number): Promise<Credential> {
    const entry = this.entries.get(accountId);
    const now = this.now();
    if (entry && entry.until > now) {
      this.options.onLookup?.(true);
      return Promise.resolve(entry.credential);
    }
    if (entry && this.usable(entry, now)) {
      this.options.onLookup?.(true);
      // Refreshed in the background; its failure is already recorded in `failing`.
      this.load(accountId, deadline).catch(() => undefined);
      if (this.failing.has(accountId)) this.options.onStaleServed?.();
      return Promise.resolve(entry.credential);
    }
    this.options.onLookup?.(false);
    return this.load(accountId, deadline);
  }

  /** Forgets one account's credential (after an upstream 401, or when the account changed). */
  drop(accountId: number): void {
    this.entries.delete(accountId);
    this.loading.delete(accountId);
  }

  clear(): void {
    this.entries.clear();
    this.loading.clear();
  }

  private load(accountId: number, deadline: number): Promise<Credential> {
    const pending = this.loading.get(accountId);
    if (pending) return pending;
    const load: Promise<Credential> = this.fetch(accountId, deadline).then(
      (credential) => {
        // drop() during the fetch means this answer may be the stale one: hand it out, do not keep it.
        if (this.loading.get(accountId) === load) {
          this.loading.delete(accountId);
          this.failing.delete(accountId);
          this.keep(accountId, credential);
        }
        return credential;
      },
      (error: unknown) => {
        if (this.loading.get(accountId) === load) {
          this.loading.delete(accountId);
          this.failing.add(accountId);
        }
        throw error;
      },
    );
    this.loading.set(accountId, load);
    return load;
  }

  /** Whether a credential past its cache age may still be handed out. */
  private usable(entry: Entry, now: number): boolean {
    const expiresAt = entry.credential.expiresAtMs;
    return expiresAt > 0 ? expiresAt - now > STALE_MIN_VALIDITY_MS : now - entry.fetchedAt < this.staleMaxMs;
  }

  private keep(accountId: number, credential: Credential): void {
    const now = this.now();
    let until = now + this.options.maxAgeMs;
    if (credential.expiresAtMs > 0) until = Math.min(until, credential.expiresAtMs - this.marginMs);
    this.entries.set(accountId, { credential, until, fetchedAt: now });
  }
}
