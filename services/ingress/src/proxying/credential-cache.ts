import type { Credential } from '@aigw/proto';

export type CredentialFetcher = (accountId: number, deadline: number) => Promise<Credential>;

export interface CredentialCacheOptions {
  /** Longest time a credential is reused without asking auth again. */
  maxAgeMs: number;
  /** Stop using a credential this long before it expires. */
  expiryMarginMs?: number;
  now?: () => number;
}

interface Entry {
  credential: Credential;
  until: number;
}

/**
 * Credentials per account, kept in process so a request does not pay a gRPC call for each one.
 * Kept until min(now + maxAge, expiresAt − margin); dropped on an upstream 401 or an account change.
 */
export class CredentialCache {
  private readonly entries = new Map<number, Entry>();
  private readonly loading = new Map<number, Promise<Credential>>();
  private readonly now: () => number;
  private readonly marginMs: number;

  constructor(
    private readonly fetch: CredentialFetcher,
    private readonly options: CredentialCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.marginMs = options.expiryMarginMs ?? 5 * 60_000;
  }

  /** A usable credential for the account, from memory or from auth (one fetch per account at a time). */
  get(accountId: number, deadline: number): Promise<Credential> {
    const entry = this.entries.get(accountId);
    if (entry && entry.until > this.now()) return Promise.resolve(entry.credential);
    const pending = this.loading.get(accountId);
    if (pending) return pending;
    const load: Promise<Credential> = this.fetch(accountId, deadline).then(
      (credential) => {
        // drop() during the fetch means this answer may be the stale one: hand it out, do not keep it.
        if (this.loading.get(accountId) === load) {
          this.loading.delete(accountId);
          this.keep(accountId, credential);
        }
        return credential;
      },
      (error: unknown) => {
        if (this.loading.get(accountId) === load) this.loading.delete(accountId);
        throw error;
      },
    );
    this.loading.set(accountId, load);
    return load;
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

  private keep(accountId: number, credential: Credential): void {
    const now = this.now();
    let until = now + this.options.maxAgeMs;
    if (credential.expiresAtMs > 0) until = Math.min(until, credential.expiresAtMs - this.marginMs);
    if (until > now) this.entries.set(accountId, { credential, until });
  }
}
