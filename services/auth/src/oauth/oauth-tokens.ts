import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@aigw/errors';
import type { Logger } from '@aigw/logger';
import type { AccountStore } from '../credentials/account-store.js';
import type { OAuthData } from '../credentials/auth-data.js';
import { isFresh, refreshAtFor, type CachedToken } from './cached-token.js';
import type { RedisTokenCache } from './redis-token-cache.js';
import type { RefreshLock } from './refresh-lock.js';
import { requestRefreshGrant, type TokenGrant } from './token-endpoint.js';

export interface OAuthTokenSettings {
  marginMs: number;
  tokenTimeoutMs: number;
  lockWaitMs: number;
  pollMs: number;
}

export interface OAuthTokensDeps {
  store: Pick<AccountStore, 'loadOAuth' | 'saveOAuth'>;
  shared: Pick<RedisTokenCache, 'read' | 'write' | 'drop'>;
  lock: Pick<RefreshLock, 'newOwner' | 'acquire' | 'release'>;
  logger: Logger;
  settings: OAuthTokenSettings;
  grant?: (accountId: number, oauth: OAuthData, timeoutMs: number) => Promise<TokenGrant>;
  now?: () => number;
}

/**
 * OAuth access tokens: in-process cache → Redis → refresh. A refresh happens once per account at a time:
 * one promise per account in this process, and a Redis lock across replicas whose losers wait for the
 * winner's token to appear in Redis. Only the lock holder writes auth_data, so a rotated refresh token
 * is never overwritten by a stale one.
 */
export class OAuthTokens {
  readonly #memory = new Map<number, CachedToken>();
  readonly #flights = new Map<number, Promise<CachedToken>>();
  readonly #grant: NonNullable<OAuthTokensDeps['grant']>;
  readonly #now: () => number;

  constructor(private readonly deps: OAuthTokensDeps) {
    this.#grant = deps.grant ?? requestRefreshGrant;
    this.#now = deps.now ?? Date.now;
  }

  /** A token with more than the refresh margin left, refreshing it first when needed. */
  token(accountId: number, providerName: string): Promise<CachedToken> {
    const local = this.#memory.get(accountId);
    if (isFresh(local, this.#now())) return Promise.resolve(local);
    let flight = this.#flights.get(accountId);
    if (flight === undefined) {
      flight = this.#obtain(accountId, providerName).finally(() => this.#flights.delete(accountId));
      this.#flights.set(accountId, flight);
    }
    return flight;
  }

  /** Drops the token everywhere it is kept, so that the next call refreshes (after an upstream 401). */
  async invalidate(accountId: number, providerName: string): Promise<void> {
    this.#memory.delete(accountId);
    await this.deps.shared.drop(providerName, accountId);
    const owner = this.deps.lock.newOwner();
    // A replica holding the lock is refreshing right now and replaces the token anyway; writing auth_data
    // without the lock could put back a refresh token it just rotated.
    if (!(await this.deps.lock.acquire(accountId, owner))) return;
    try {
      const { accessToken, expiresAt, ...rest } = await this.deps.store.loadOAuth(accountId);
      if (accessToken !== undefined || expiresAt !== undefined) await this.deps.store.saveOAuth(accountId, rest);
    } finally {
      await this.#release(accountId, owner);
    }
  }

  /** Forgets in-process tokens (all when no id): another replica may have changed them. */
  forget(accountId?: number): void {
    if (accountId === undefined) this.#memory.clear();
    else this.#memory.delete(accountId);
  }

  async #obtain(accountId: number, providerName: string): Promise<CachedToken> {
    const shared = await this.deps.shared.read(providerName, accountId);
    if (isFresh(shared, this.#now())) return this.#remember(accountId, shared);
    const giveUpAt = this.#now() + this.deps.settings.lockWaitMs;
    for (;;) {
      const owner = this.deps.lock.newOwner();
      if (await this.deps.lock.acquire(accountId, owner)) {
        try {
          return await this.#refreshHoldingLock(accountId, providerName);
        } finally {
          await this.#release(accountId, owner);
        }
      }
      if (this.#now() >= giveUpAt) {
        throw new AppError('UNAVAILABLE', `timed out waiting for the token refresh of account ${accountId}`);
      }
      await sleep(this.deps.settings.pollMs);
      const theirs = await this.deps.shared.read(providerName, accountId);
      if (isFresh(theirs, this.#now())) return this.#remember(accountId, theirs);
      // No token yet: the holder is still refreshing, or it failed and let go; try for the lock again.
    }
  }

  async #refreshHoldingLock(accountId: number, providerName: string): Promise<CachedToken> {
    // Another replica may have finished between our Redis miss and our lock.
    const shared = await this.deps.shared.read(providerName, accountId);
    if (isFresh(shared, this.#now())) return this.#remember(accountId, shared);

    const oauth = await this.deps.store.loadOAuth(accountId);
    if (oauth.accessToken !== undefined && oauth.expiresAt !== undefined) {
      // Redis lost the token (restart, eviction) but auth_data kept it.
      const kept = { accessToken: oauth.accessToken, expiresAt: oauth.expiresAt, refreshAt: oauth.expiresAt - this.deps.settings.marginMs };
      if (isFresh(kept, this.#now())) {
        await this.deps.shared.write(providerName, accountId, kept);
        return this.#remember(accountId, kept);
      }
    }

    const grant = await this.#grant(accountId, oauth, this.deps.settings.tokenTimeoutMs);
    const obtainedAt = this.#now();
    const expiresAt = obtainedAt + grant.expiresInMs;
    const token = { accessToken: grant.accessToken, expiresAt, refreshAt: refreshAtFor(obtainedAt, expiresAt, this.deps.settings.marginMs) };
    try {
      await this.deps.store.saveOAuth(accountId, {
        ...oauth,
        refreshToken: grant.refreshToken ?? oauth.refreshToken,
        accessToken: token.accessToken,
        expiresAt,
      });
    } catch (error) {
      // The access token still works; only a rotated refresh token is at risk, and that needs an operator.
      this.deps.logger.error({ err: error, accountId, rotated: grant.refreshToken !== undefined }, 'could not store the refreshed oauth token');
    }
    await this.deps.shared.write(providerName, accountId, token);
    this.deps.logger.info({ accountId, expiresAt, rotated: grant.refreshToken !== undefined }, 'oauth token refreshed');
    return this.#remember(accountId, token);
  }

  #remember(accountId: number, token: CachedToken): CachedToken {
    this.#memory.set(accountId, token);
    return token;
  }

  async #release(accountId: number, owner: string): Promise<void> {
    try {
      await this.deps.lock.release(accountId, owner);
    } catch (error) {
      // The lock's TTL frees it anyway; a failed release must not hide the refresh's own outcome.
      this.deps.logger.warn({ err: error, accountId }, 'could not release the refresh lock');
    }
  }
}
