import { AppError } from '@aigw/errors';
import type { Credential } from '@aigw/proto';
import type { OAuthTokens } from '../oauth/oauth-tokens.js';
import type { AccountStore } from './account-store.js';
import { apiKeyHeader, bearerHeader } from './credential-header.js';

/** What is kept in memory per account: the finished header for static secrets, only the home for OAuth. */
type KnownAccount = { loadedAt: number } & ({ kind: 'static'; credential: Credential } | { kind: 'oauth'; providerName: string });

/** How long past its TTL an account's facts are still used while reloading them fails. */
const STALE_MAX_MS = 3_600_000;

/** Hands out the header that authenticates an account upstream. */
export class CredentialService {
  readonly #accounts = new Map<number, KnownAccount>();
  readonly #loading = new Map<number, Promise<KnownAccount>>();
  /** Bumped by forget(), so that a load started before a change does not cache what it read. */
  #generation = 0;

  constructor(
    private readonly store: AccountStore,
    private readonly oauth: OAuthTokens,
    private readonly cacheTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The credential of `accountId`: NOT_FOUND for an unknown account, UNAUTHENTICATED when OAuth refresh is rejected. */
  async credential(accountId: number): Promise<Credential> {
    const account = await this.#account(accountId);
    if (account.kind === 'static') return account.credential;
    const token = await this.oauth.token(accountId, account.providerName);
    return { ...bearerHeader(token.accessToken), expiresAtMs: token.expiresAt };
  }

  /** Drops what is cached for `accountId`, so that the next call reloads the account and refreshes its token. */
  async invalidate(accountId: number): Promise<void> {
    const account = await this.#account(accountId);
    this.forget(accountId);
    if (account.kind === 'oauth') await this.oauth.invalidate(accountId, account.providerName);
  }

  /** Forgets cached accounts and in-process tokens (all when no id), after a config change. */
  forget(accountId?: number): void {
    this.#generation++;
    if (accountId === undefined) this.#accounts.clear();
    else this.#accounts.delete(accountId);
    this.oauth.forget(accountId);
  }

  #account(accountId: number): Promise<KnownAccount> {
    const known = this.#accounts.get(accountId);
    if (known !== undefined && this.now() - known.loadedAt < this.cacheTtlMs) return Promise.resolve(known);
    let loading = this.#loading.get(accountId);
    if (loading === undefined) {
      loading = this.#load(accountId).finally(() => this.#loading.delete(accountId));
      this.#loading.set(accountId, loading);
    }
    // MySQL unreachable: what was loaded before still authenticates (config changes drop it via forget()). An
    // AppError is an answer (the account is gone, its secret unreadable), not an outage.
    if (known !== undefined && this.now() - known.loadedAt < this.cacheTtlMs + STALE_MAX_MS) {
      return loading.catch((error: unknown) => {
        if (error instanceof AppError) throw error;
        return known;
      });
    }
    return loading;
  }

  async #load(accountId: number): Promise<KnownAccount> {
    const generation = this.#generation;
    const { secret, providerKind, providerName } = await this.store.load(accountId);
    const loadedAt = this.now();
    const account: KnownAccount =
      secret.authType === 'oauth'
        ? { kind: 'oauth', providerName, loadedAt }
        : {
            kind: 'static',
            loadedAt,
            credential: {
              ...(secret.authType === 'api_key' ? apiKeyHeader(providerKind, secret.apiKey) : bearerHeader(secret.token)),
              expiresAtMs: 0,
            },
          };
    if (generation === this.#generation) this.#accounts.set(accountId, account);
    return account;
  }
}
