import { AppError } from '@aigw/errors';
import type { Account, AffinityOutcome } from '@aigw/proto';
import { redisKeys, type RedisClient, type RedisOutage } from '@aigw/redis';
import type { AccountCache } from '../accounts/account-cache.js';
import type { SelectorMetrics } from '../observability/selector-metrics.js';
import type { LocalRotation } from './local-rotation.js';
import { minuteWindow, type AffinityPick } from './ring-walk.js';
import { defineSelectScript, runSelectScript } from './select-script.js';

/** Ingress sends a short digest; anything longer is not one of its keys. */
export const MAX_AFFINITY_KEY_LENGTH = 200;

/** The account for one attempt and what session affinity did to choose it. */
export interface Selection {
  account: Account;
  affinity: AffinityOutcome;
}

export interface AccountSelectorDeps {
  redis: RedisClient;
  cache: AccountCache;
  /** How long a conversation's binding outlives its last turn. */
  affinityTtlMs: number;
  /** Whether Redis answers; while it does not, selections skip it. */
  outage: RedisOutage;
  /** The same rule in process, used while Redis is unreachable. */
  local: LocalRotation;
  metrics: SelectorMetrics;
  now?: () => number;
}

/**
 * Picks the account for one attempt: cluster-wide round robin over a provider's active accounts, kept in Redis;
 * while Redis is unreachable, the same rotation in this process (see LocalRotation).
 */
export class AccountSelector {
  private readonly now: () => number;

  constructor(private readonly deps: AccountSelectorDeps) {
    this.now = deps.now ?? Date.now;
    defineSelectScript(deps.redis);
  }

  /**
   * The next account of the provider's ring for `model`, skipping `exclude`, accounts cooling down and
   * accounts over their per-minute limit; with an `affinityKey`, the account that key is bound to while it is
   * usable. NO_ACCOUNT when the provider has none; ACCOUNTS_EXHAUSTED (with the soonest retry) when every one
   * was skipped.
   */
  async select(providerId: number, model: string, exclude: readonly number[], affinityKey = ''): Promise<Selection> {
    if (model === '') throw new AppError('INVALID_REQUEST', 'model is required to select an account');
    if (affinityKey.length > MAX_AFFINITY_KEY_LENGTH) {
      throw new AppError('INVALID_REQUEST', `affinity_key is longer than ${MAX_AFFINITY_KEY_LENGTH} characters`);
    }
    const ring = this.deps.cache.provider(providerId);
    const accounts = ring?.accounts ?? [];
    if (ring === undefined || accounts.length === 0) {
      this.deps.metrics.selected(ring?.providerName ?? String(providerId), 'no_account');
      throw new AppError('NO_ACCOUNT', `no active account for provider ${ring?.providerName ?? providerId}`);
    }
    const tag = ring.providerName;
    const { window, msToNext } = minuteWindow(this.now());
    const excluded = new Set(exclude);
    const bindingKey = affinityKey === '' ? undefined : redisKeys.affinity(tag, model, affinityKey);
    const inProcess = (): Omit<AffinityPick, 'advancesCounter'> => this.deps.local.select(tag, accounts, model, excluded, bindingKey ?? '');
    let result: Omit<AffinityPick, 'advancesCounter'>;
    try {
      const ran = await this.deps.outage.run(() =>
        runSelectScript(this.deps.redis, {
          counterKey: redisKeys.roundRobin(tag, model),
          cooldownKeys: accounts.map(({ account }) => redisKeys.cooldown(tag, account.id, model)),
          rateLimitKeys: accounts.map(({ account }) => redisKeys.rateLimit(tag, account.id, window)),
          excluded: accounts.map(({ account }) => excluded.has(account.id)),
          limits: accounts.map(({ limit }) => limit),
          accountIds: accounts.map(({ account }) => account.id),
          bindingKey,
          affinityIndexKeys: bindingKey === undefined ? undefined : accounts.map(({ account }) => redisKeys.affinityIndex(tag, account.id)),
          bindingTtlMs: this.deps.affinityTtlMs,
          msToNextWindow: msToNext,
        }),
      );
      if (ran === undefined) {
        this.deps.metrics.fallback('select', 'redis_down');
        result = inProcess();
      } else {
        result = ran.value;
        const chosen = result.pick.kind === 'chosen' ? accounts[result.pick.index] : undefined;
        if (bindingKey !== undefined && chosen !== undefined) this.deps.local.remember(bindingKey, chosen.account.id);
      }
    } catch {
      // Logged once per outage by the outage's onDown; a request must not fail because Redis did.
      this.deps.metrics.fallback('select', 'redis_error');
      result = inProcess();
    }
    const { pick, affinity } = result;
    if (pick.kind === 'chosen') {
      const chosen = accounts[pick.index];
      if (chosen !== undefined) {
        this.deps.metrics.selected(tag, 'chosen', affinity);
        return { account: chosen.account, affinity };
      }
      throw new AppError('INTERNAL', `selection script returned index ${pick.index} for ${accounts.length} accounts`);
    }
    this.deps.metrics.selected(tag, 'exhausted');
    throw new AppError('ACCOUNTS_EXHAUSTED', `every account of provider ${tag} is cooling down, rate limited or excluded`, {
      retryAfterMs: pick.retryAfterMs > 0 ? pick.retryAfterMs : undefined,
      details: { provider: tag },
    });
  }
}
