import { dependencyError } from '@aigw/logger';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, toAppError } from '@aigw/errors';
import type { Logger } from '@aigw/logger';
import { RedisOutage } from '@aigw/redis';
import type { AccountStore } from '../credentials/account-store.js';
import type { OAuthData } from '../credentials/auth-data.js';
import { NO_AUTH_METRICS, type AuthMetrics } from '../observability/auth-metrics.js';
import { isFresh, refreshAtFor, type CachedToken } from './cached-token.js';
import type { RedisTokenCache } from './redis-token-cache.js';
import { RefreshBackoff, type RefreshBackoffSettings } from './refresh-backoff.js';
import type { RefreshLock } from './refresh-lock.js';
import { requestRefreshGrant, type TokenGrant } from './token-endpoint.js';

export interface OAuthTokenSettings {
  marginMs: number;
  tokenTimeoutMs: number;
  lockWaitMs: number;
  pollMs: number;
  /** How long a caller with no usable token waits for a refresh before failing; the refresh itself goes on. */
  refreshWaitMs: number;
  /** Per-account wait between failed refreshes. */
  backoff: RefreshBackoffSettings;
}

/** A refresh in flight: `done` settles with its outcome; `usable` resolves early with a valid token it found on the way. */
interface Flight {
  done: Promise<CachedToken>;
  usable: Promise<CachedToken>;
  startedAt: number;
}

export interface OAuthTokensDeps {
  store: Pick<AccountStore, 'loadOAuth' | 'saveOAuth'>;
  shared: Pick<RedisTokenCache, 'read' | 'write' | 'drop'>;
  lock: Pick<RefreshLock, 'newOwner' | 'acquire' | 'release'>;
  logger: Logger;
  settings: OAuthTokenSettings;
  grant?: (accountId: number, oauth: OAuthData, timeoutMs: number) => Promise<TokenGrant>;
  /** Whether Redis answers (shared by every Redis call of the service); while it does not, calls skip it. */
  outage?: RedisOutage;
  metrics?: AuthMetrics;
  now?: () => number;
}

/**
 * OAuth access tokens: in-process cache → Redis → refresh. A refresh happens once per account at a time:
 * one promise per account in this process, and a Redis lock across replicas whose losers wait for the
 * winner's token to appear in Redis. Only the lock holder writes auth_data, so a rotated refresh token
 * is never overwritten by a stale one. While Redis is unreachable the process refreshes on its own (still once
 * at a time per account) and keeps tokens in memory only.
 *
 * A token due for refresh but not expired is handed out while the refresh runs in the background, so a slow or
 * failing token endpoint costs callers nothing until the token really expires. Failed refreshes back off per
 * account; a caller with no usable token fails at once while its account backs off, and after refreshWaitMs when
 * a refresh is slow, so that ingress tries another account instead of waiting.
 */
export class OAuthTokens {
  readonly #memory = new Map<number, CachedToken>();
  /** Accounts whose token is in memory only (its Redis write failed), by provider name: shared once Redis answers. */
  readonly #unshared = new Map<number, string>();
  readonly #sharing = new Set<number>();
  readonly #flights = new Map<number, Flight>();
  /** Accounts this process has held a token of: only their refreshes are cut short by refreshWaitMs. */
  readonly #hadToken = new Set<number>();
  /** The access token an upstream rejected, per account: never taken back from auth_data (Redis may not have let us clear it). */
  readonly #rejected = new Map<number, string>();
  readonly #grant: NonNullable<OAuthTokensDeps['grant']>;
  readonly #now: () => number;
  readonly #outage: RedisOutage;
  readonly #metrics: AuthMetrics;
  readonly #backoff: RefreshBackoff;

  constructor(private readonly deps: OAuthTokensDeps) {
    this.#grant = deps.grant ?? requestRefreshGrant;
    this.#now = deps.now ?? Date.now;
    this.#outage = deps.outage ?? new RedisOutage({ now: this.#now });
    this.#metrics = deps.metrics ?? NO_AUTH_METRICS;
    this.#backoff = new RefreshBackoff(deps.settings.backoff, this.#now);
  }

  /** A token that is not expired, refreshing it first when it has none; see the class comment for the limits. */
  async token(accountId: number, providerName: string): Promise<CachedToken> {
    const local = this.#memory.get(accountId);
    const usable = this.#usable(local);
    this.#metrics.tokenLookup('oauth_token', usable);
    if (isFresh(local, this.#now())) {
      this.#shareIfUnshared(accountId, local);
      return local;
    }
    if (usable) {
      this.#flight(accountId, providerName);
      return local;
    }
    try {
      this.#backoff.check(accountId);
    } catch (error) {
      this.#metrics.failedFast('backoff');
      throw error;
    }
    // check() passed, so the account does not back off and a flight exists. A first token (a cold start, a new
    // account) is waited for within the flight's own limits: failing it early would fail every account at once
    // on a slow machine.
    const flight = this.#flight(accountId, providerName)!;
    return this.#hadToken.has(accountId) ? this.#await(accountId, flight) : Promise.race([flight.done, this.#foundUsable(flight)]);
  }

  /** Drops the token everywhere it is kept, so that the next call refreshes (after an upstream 401). */
  async invalidate(accountId: number, providerName: string): Promise<void> {
    const rejected = this.#memory.get(accountId);
    if (rejected !== undefined) this.#rejected.set(accountId, rejected.accessToken);
    this.#memory.delete(accountId);
    await this.#redis('drop', () => this.deps.shared.drop(providerName, accountId)).catch(() => undefined);
    const owner = this.deps.lock.newOwner();
    // A replica holding the lock is refreshing right now and replaces the token anyway; writing auth_data
    // without the lock could put back a refresh token it just rotated. Without Redis, auth_data keeps the old
    // access token: the next refresh replaces it, and one found expired is never used.
    if ((await this.#tryLock(accountId, owner)) !== 'acquired') return;
    try {
      const { accessToken, expiresAt, ...rest } = await this.deps.store.loadOAuth(accountId);
      if (accessToken !== undefined || expiresAt !== undefined) await this.deps.store.saveOAuth(accountId, rest);
    } finally {
      await this.#release(accountId, owner);
    }
  }

  /** Forgets in-process tokens and refresh backoffs (all when no id): another replica or an admin may have changed them. */
  forget(accountId?: number): void {
    if (accountId === undefined) this.#memory.clear();
    else this.#memory.delete(accountId);
    this.#backoff.clear(accountId);
  }

  #usable(token: CachedToken | undefined): token is CachedToken {
    return token !== undefined && this.#now() < token.expiresAt;
  }

  /** The account's refresh in flight, starting one unless the account backs off (then undefined). */
  #flight(accountId: number, providerName: string): Flight | undefined {
    let flight = this.#flights.get(accountId);
    if (flight === undefined) {
      if (!this.#backoff.allows(accountId)) return undefined;
      let found: (token: CachedToken) => void = () => undefined;
      const usable = new Promise<CachedToken>((resolve) => (found = resolve));
      const done = this.#obtain(accountId, providerName, found).finally(() => this.#flights.delete(accountId));
      // Background refreshes have no caller; their failures are logged and backed off in #grantWithBackoff.
      done.catch(() => undefined);
      flight = { done, usable, startedAt: this.#now() };
      this.#flights.set(accountId, flight);
    }
    return flight;
  }

  /**
   * Waits for the flight until refreshWaitMs after it started (so once a refresh is known to be slow, later callers
   * fail at once instead of each waiting again); a still valid token the flight found meanwhile also does.
   */
  async #await(accountId: number, flight: Flight): Promise<CachedToken> {
    const limitMs = this.deps.settings.refreshWaitMs;
    const waitMs = Math.max(0, flight.startedAt + limitMs - this.#now());
    const slowError = new AppError('UNAVAILABLE', `oauth refresh of account ${accountId} takes longer than ${limitMs} ms`, { retryAfterMs: 1_000 });
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(slowError), waitMs);
    });
    try {
      return await Promise.race([flight.done, this.#foundUsable(flight), slow]);
    } catch (error) {
      const found = this.#memory.get(accountId);
      if (this.#usable(found)) return found;
      if (error === slowError) this.#metrics.failedFast('slow_refresh');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The valid token the flight found on its way, if it is still valid now (a long flight outlives it); else never. */
  #foundUsable(flight: Flight): Promise<CachedToken> {
    return flight.usable.then((token) => (this.#usable(token) ? token : new Promise<never>(() => undefined)));
  }

  async #obtain(accountId: number, providerName: string, found: (token: CachedToken) => void): Promise<CachedToken> {
    const shared = await this.#readShared(providerName, accountId);
    this.#metrics.tokenLookup('oauth_token_redis', this.#usable(shared));
    if (isFresh(shared, this.#now())) return this.#remember(accountId, shared);
    // Due but valid: callers may use it while this refresh runs.
    if (this.#usable(shared)) found(this.#remember(accountId, shared));
    const giveUpAt = this.#now() + this.deps.settings.lockWaitMs;
    for (;;) {
      const owner = this.deps.lock.newOwner();
      const lock = await this.#tryLock(accountId, owner);
      // No Redis, no lock and no shared cache: this process refreshes on its own (one flight per account).
      if (lock === 'unreachable') return this.#refresh(accountId, providerName);
      if (lock === 'acquired') {
        try {
          return await this.#refresh(accountId, providerName);
        } finally {
          await this.#release(accountId, owner);
        }
      }
      if (this.#now() >= giveUpAt) {
        throw new AppError('UNAVAILABLE', `timed out waiting for the token refresh of account ${accountId}`);
      }
      await sleep(this.deps.settings.pollMs);
      const theirs = await this.#readShared(providerName, accountId);
      if (isFresh(theirs, this.#now())) return this.#remember(accountId, theirs);
      // No token yet: the holder is still refreshing, or it failed and let go; try for the lock again.
    }
  }

  async #refresh(accountId: number, providerName: string): Promise<CachedToken> {
    // Another replica may have finished between our Redis miss and our lock.
    const shared = await this.#readShared(providerName, accountId);
    this.#metrics.tokenLookup('oauth_token_redis', this.#usable(shared));
    if (isFresh(shared, this.#now())) return this.#remember(accountId, shared);

    const oauth = await this.deps.store.loadOAuth(accountId);
    if (oauth.accessToken !== undefined && oauth.expiresAt !== undefined) {
      // Redis lost the token (restart, eviction) but auth_data kept it.
      const kept = { accessToken: oauth.accessToken, expiresAt: oauth.expiresAt, refreshAt: oauth.expiresAt - this.deps.settings.marginMs };
      if (isFresh(kept, this.#now()) && kept.accessToken !== this.#rejected.get(accountId)) {
        await this.#writeShared(providerName, accountId, kept);
        return this.#remember(accountId, kept);
      }
    }

    const grant = await this.#grantWithBackoff(accountId, oauth);
    this.#rejected.delete(accountId);
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
      this.deps.logger.error({ err: dependencyError(error), accountId, rotated: grant.refreshToken !== undefined }, 'could not store the refreshed oauth token');
    }
    await this.#writeShared(providerName, accountId, token);
    this.deps.logger.info({ accountId, expiresAt, rotated: grant.refreshToken !== undefined }, 'oauth token refreshed');
    return this.#remember(accountId, token);
  }

  async #grantWithBackoff(accountId: number, oauth: OAuthData): Promise<TokenGrant> {
    try {
      const grant = await this.#grant(accountId, oauth, this.deps.settings.tokenTimeoutMs);
      this.#backoff.clear(accountId);
      this.#metrics.refreshed('success');
      return grant;
    } catch (thrown) {
      const error = toAppError(thrown, 'UNAVAILABLE');
      const retryInMs = this.#backoff.failed(accountId, error);
      this.#metrics.refreshed('failure');
      this.deps.logger.warn({ accountId, code: error.code, error: error.message, retryInMs }, 'oauth refresh failed, backing off');
      throw error;
    }
  }

  #remember(accountId: number, token: CachedToken): CachedToken {
    this.#memory.set(accountId, token);
    this.#hadToken.add(accountId);
    return token;
  }

  /** Runs a Redis call unless an outage is known; rejects when skipped or failed (counted by operation). */
  async #redis<T>(operation: 'read' | 'write' | 'drop' | 'lock', call: () => Promise<T>): Promise<T> {
    try {
      const ran = await this.#outage.run(call);
      if (ran !== undefined) return ran.value;
    } catch (error) {
      this.#metrics.redisFailed(operation);
      throw error;
    }
    this.#metrics.redisFailed(operation);
    throw new AppError('UNAVAILABLE', 'redis unreachable');
  }

  #readShared(providerName: string, accountId: number): Promise<CachedToken | undefined> {
    return this.#redis('read', () => this.deps.shared.read(providerName, accountId)).catch(() => undefined);
  }

  async #writeShared(providerName: string, accountId: number, token: CachedToken): Promise<void> {
    try {
      await this.#redis('write', () => this.deps.shared.write(providerName, accountId, token));
      this.#unshared.delete(accountId);
    } catch {
      // Other replicas refresh on their own meanwhile; this one keeps the token in memory and shares it later.
      this.#unshared.set(accountId, providerName);
    }
  }

  /**
   * A token refreshed while Redis was unreachable goes to Redis once it answers again (tried as Redis's outage
   * allows: one probe per interval), so other replicas stop refreshing that account on their own.
   */
  #shareIfUnshared(accountId: number, token: CachedToken): void {
    const providerName = this.#unshared.get(accountId);
    if (providerName === undefined || this.#sharing.has(accountId)) return;
    this.#sharing.add(accountId);
    this.#outage
      .run(() => this.deps.shared.write(providerName, accountId, token))
      .then((ran) => {
        if (ran !== undefined) this.#unshared.delete(accountId);
      })
      .catch(() => this.#metrics.redisFailed('write'))
      .finally(() => this.#sharing.delete(accountId));
  }

  async #tryLock(accountId: number, owner: string): Promise<'acquired' | 'held' | 'unreachable'> {
    try {
      return (await this.#redis('lock', () => this.deps.lock.acquire(accountId, owner))) ? 'acquired' : 'held';
    } catch {
      return 'unreachable';
    }
  }

  async #release(accountId: number, owner: string): Promise<void> {
    try {
      await this.deps.lock.release(accountId, owner);
    } catch (error) {
      // The lock's TTL frees it anyway; a failed release must not hide the refresh's own outcome.
      this.deps.logger.warn({ err: dependencyError(error), accountId }, 'could not release the refresh lock');
    }
  }
}
