import { AppError } from '@aigw/errors';
import type { Account } from '@aigw/proto';
import { redisKeys, type RedisClient } from '@aigw/redis';
import type { AccountCache } from '../accounts/account-cache.js';
import { minuteWindow } from './ring-walk.js';
import { runSelectScript } from './select-script.js';

/** Picks the account for one attempt: cluster-wide round robin over a provider's active accounts. */
export class AccountSelector {
  constructor(
    private readonly redis: RedisClient,
    private readonly cache: AccountCache,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The next account of the provider's ring for `model`, skipping `exclude`, accounts cooling down and
   * accounts over their per-minute limit. NO_ACCOUNT when the provider has none; ACCOUNTS_EXHAUSTED
   * (with the soonest retry) when every one was skipped.
   */
  async select(providerId: number, model: string, exclude: readonly number[]): Promise<Account> {
    if (model === '') throw new AppError('INVALID_REQUEST', 'model is required to select an account');
    const ring = this.cache.provider(providerId);
    const accounts = ring?.accounts ?? [];
    if (ring === undefined || accounts.length === 0) {
      throw new AppError('NO_ACCOUNT', `no active account for provider ${ring?.providerName ?? providerId}`);
    }
    const tag = ring.providerName;
    const { window, msToNext } = minuteWindow(this.now());
    const excluded = new Set(exclude);
    const pick = await runSelectScript(this.redis, {
      counterKey: redisKeys.roundRobin(tag, model),
      cooldownKeys: accounts.map(({ account }) => redisKeys.cooldown(tag, account.id, model)),
      rateLimitKeys: accounts.map(({ account }) => redisKeys.rateLimit(tag, account.id, window)),
      excluded: accounts.map(({ account }) => excluded.has(account.id)),
      limits: accounts.map(({ limit }) => limit),
      msToNextWindow: msToNext,
    });
    if (pick.kind === 'chosen') {
      const chosen = accounts[pick.index];
      if (chosen !== undefined) return chosen.account;
      throw new AppError('INTERNAL', `selection script returned index ${pick.index} for ${accounts.length} accounts`);
    }
    throw new AppError('ACCOUNTS_EXHAUSTED', `every account of provider ${tag} is cooling down, rate limited or excluded`, {
      retryAfterMs: pick.retryAfterMs > 0 ? pick.retryAfterMs : undefined,
      details: { provider: tag },
    });
  }
}
