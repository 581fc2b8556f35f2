import { redisKeys, type RedisClient, type RedisOutage } from '@aigw/redis';
import type { AccountCache } from '../accounts/account-cache.js';
import type { SelectorMetrics } from '../observability/selector-metrics.js';
import { cooldownAction, type CooldownSettings } from './cooldown-policy.js';
import type { LocalCooldowns } from './local-cooldowns.js';

// Applies a CooldownAction in one atomic round trip. The backoff arithmetic mirrors backoffMs() in
// cooldown-policy.ts. A streak outlives its cooldown by max ms: failures further apart start over.
//   KEYS[1] cooldown key, KEYS[2] failure-streak key (same hash tag)
//   ARGV[1] reset | backoff | fixed   ARGV[2] ms (fixed, or Retry-After; 0 = streak backoff)
//   ARGV[3] base ms   ARGV[4] max ms
// Returns the cooldown set, in ms (0 = none).
const OUTCOME_LUA = `
local action = ARGV[1]
if action == 'reset' then
  redis.call('DEL', KEYS[2])
  return 0
end
local ms = tonumber(ARGV[2])
local maxMs = tonumber(ARGV[4])
if action == 'backoff' then
  local streak = redis.call('INCR', KEYS[2])
  if ms <= 0 then
    local doublings = math.min(math.max(streak - 1, 0), 30)
    ms = math.min(maxMs, tonumber(ARGV[3]) * 2 ^ doublings)
  end
  redis.call('PEXPIRE', KEYS[2], math.floor(ms) + maxMs)
end
ms = math.floor(ms)
if ms > 0 then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return ms
`;

const COMMAND = 'aigwReportOutcome';

type WithOutcome = RedisClient & {
  [COMMAND](cooldownKey: string, streakKey: string, action: string, ms: number, baseMs: number, maxMs: number): Promise<number>;
};

/**
 * Consecutive failures of an account on a model. Not in @aigw/redis's key table because only this file
 * uses it; it carries the provider hash tag so it sits in the cooldown key's slot.
 */
export const failureStreakKey = (provider: string, accountId: number, model: string) =>
  `failures:{${provider}}:${accountId}:${model}`;

const defined = new WeakSet<RedisClient>();

function withOutcome(redis: RedisClient): WithOutcome {
  if (!defined.has(redis)) {
    redis.defineCommand(COMMAND, { lua: OUTCOME_LUA, numberOfKeys: 2 });
    defined.add(redis);
  }
  return redis as WithOutcome;
}

export interface OutcomeRecorderDeps {
  redis: RedisClient;
  cache: AccountCache;
  settings: CooldownSettings;
  outage: RedisOutage;
  /** This process's copy of the cooldowns, which the in-process rotation honours while Redis is away. */
  local: LocalCooldowns;
  metrics: SelectorMetrics;
}

/** Turns upstream outcomes into cooldowns that the selection script (and, without Redis, LocalRotation) honours. */
export class OutcomeRecorder {
  constructor(private readonly deps: OutcomeRecorderDeps) {
    // Defined before the client sends anything: see defineSelectScript() for the crash a later definition causes.
    withOutcome(deps.redis);
  }

  /**
   * Records the outcome of a call with `accountId` on `model`; returns how long the account is now
   * skipped for that model. An account the cache no longer knows (just deactivated) is ignored. Never fails
   * because of Redis: without it the cooldown is kept in this process only.
   */
  async report(accountId: number, model: string, status: number, retryAfterMs: number): Promise<number> {
    const { cache, settings, local } = this.deps;
    const home = cache.home(accountId);
    const action = cooldownAction(status, retryAfterMs, settings);
    if (home === undefined || action.kind === 'none') return 0;
    const ms = action.kind === 'fixed' ? action.ms : action.kind === 'backoff' ? action.fixedMs : 0;
    try {
      const ran = await this.deps.outage.run(() =>
        withOutcome(this.deps.redis)[COMMAND](
          redisKeys.cooldown(home.providerName, accountId, model),
          failureStreakKey(home.providerName, accountId, model),
          action.kind,
          ms,
          settings.baseMs,
          settings.maxMs,
        ),
      );
      if (ran !== undefined) {
        if (action.kind === 'reset') local.apply(accountId, model, action);
        else local.note(accountId, model, ran.value);
        return ran.value;
      }
      this.deps.metrics.fallback('report', 'redis_down');
    } catch {
      this.deps.metrics.fallback('report', 'redis_error');
    }
    return local.apply(accountId, model, action);
  }
}
