import { redisKeys, type RedisClient, type RedisOutage } from '@aigw/redis';
import type { AccountCache } from '../accounts/account-cache.js';
import type { SelectorMetrics } from '../observability/selector-metrics.js';
import { cooldownAction, cooldownReason, cooldownSource, storedMessage, type CooldownSettings } from './cooldown-policy.js';
import type { LocalCooldowns } from './local-cooldowns.js';

// Applies a CooldownAction in one atomic round trip. The backoff arithmetic mirrors backoffMs() in
// cooldown-policy.ts. A streak outlives its cooldown by max ms: failures further apart start over. A failure also
// leaves the account's last error, and a cooldown says why, until when and on whose word (the admin API reads
// them); the cooldown index (score = until) lists the provider's cooldowns without SCAN. The cooldown key
// holds the same JSON as its index member, so a new cooldown replaces its predecessor in the index.
//   KEYS[1] cooldown key, KEYS[2] failure-streak key, KEYS[3] cooldown index, KEYS[4] last-error key (same hash tag)
//   ARGV[1] reset | backoff | fixed   ARGV[2] ms (fixed, or the upstream's hint; 0 = streak backoff)
//   ARGV[3] base ms   ARGV[4] max ms   ARGV[5] account id   ARGV[6] model   ARGV[7] reason
//   ARGV[8] source of the length   ARGV[9] quota reset (unix ms, 0 = unknown)   ARGV[10] status   ARGV[11] message
// Returns the cooldown set, in ms (0 = none).
/** How long an account's last error stays visible. */
const LAST_ERROR_TTL_MS = 7 * 24 * 3_600_000;

const OUTCOME_LUA = `
local action = ARGV[1]
if action == 'reset' then
  redis.call('DEL', KEYS[2])
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ms = tonumber(ARGV[2])
local maxMs = tonumber(ARGV[4])
local source = ARGV[8]
if action == 'backoff' then
  local streak = redis.call('INCR', KEYS[2])
  if ms <= 0 then
    local doublings = math.min(math.max(streak - 1, 0), 30)
    ms = math.min(maxMs, tonumber(ARGV[3]) * 2 ^ doublings)
    source = 'default'
  end
  redis.call('PEXPIRE', KEYS[2], math.floor(ms) + maxMs)
end
local lastError = { class = ARGV[7], status = tonumber(ARGV[10]), at = now, message = ARGV[11] }
redis.call('SET', KEYS[4], cjson.encode(lastError), 'PX', ${LAST_ERROR_TTL_MS})
ms = math.floor(ms)
if ms > 0 then
  local record = { accountId = tonumber(ARGV[5]), model = ARGV[6], reason = ARGV[7], ['until'] = now + ms, source = source }
  if tonumber(ARGV[9]) > 0 then record.resetAt = tonumber(ARGV[9]) end
  local json = cjson.encode(record)
  local previous = redis.call('GET', KEYS[1])
  if previous then redis.call('ZREM', KEYS[3], previous) end
  redis.call('SET', KEYS[1], json, 'PX', ms)
  redis.call('ZADD', KEYS[3], now + ms, json)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if redis.call('PTTL', KEYS[3]) < ms then redis.call('PEXPIRE', KEYS[3], ms) end
end
return ms
`;

const COMMAND = 'aigwReportOutcome';

type WithOutcome = RedisClient & {
  [COMMAND](...keysAndArgs: (string | number)[]): Promise<number>;
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
    redis.defineCommand(COMMAND, { lua: OUTCOME_LUA, numberOfKeys: 4 });
    defined.add(redis);
  }
  return redis as WithOutcome;
}

/** What the upstream said beyond its status: where the retry delay came from, its quota reset, its message. */
export interface OutcomeHint {
  retryAfterSource?: string;
  resetAtMs?: number;
  message?: string;
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
  async report(accountId: number, model: string, status: number, retryAfterMs: number, hint: OutcomeHint = {}): Promise<number> {
    const { cache, settings, local } = this.deps;
    const home = cache.home(accountId);
    const action = cooldownAction(status, retryAfterMs, settings);
    if (home === undefined || action.kind === 'none') return 0;
    const ms = action.kind === 'fixed' ? action.ms : action.kind === 'backoff' ? action.fixedMs : 0;
    const provider = home.providerName;
    const source = hint.retryAfterSource ?? '';
    try {
      const ran = await this.deps.outage.run(() =>
        withOutcome(this.deps.redis)[COMMAND](
          redisKeys.cooldown(provider, accountId, model),
          failureStreakKey(provider, accountId, model),
          redisKeys.cooldownIndex(provider),
          redisKeys.lastError(provider, accountId),
          action.kind,
          ms,
          settings.baseMs,
          settings.maxMs,
          accountId,
          model,
          cooldownReason(status, source),
          cooldownSource(action, source),
          hint.resetAtMs ?? 0,
          status,
          storedMessage(hint.message || (status === 0 ? 'no answer from the upstream (connect error or timeout)' : `upstream answered ${status}`)),
        ),
      );
      if (ran !== undefined) {
        if (action.kind === 'reset') local.apply(accountId, model, action);
        else local.note(accountId, model, ran.value);
        if (ran.value > 0) this.deps.metrics.cooldownSet(provider);
        return ran.value;
      }
      this.deps.metrics.fallback('report', 'redis_down');
    } catch {
      this.deps.metrics.fallback('report', 'redis_error');
    }
    const cooled = local.apply(accountId, model, action);
    if (cooled > 0) this.deps.metrics.cooldownSet(provider);
    return cooled;
  }
}
