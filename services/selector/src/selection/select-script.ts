import { AffinityOutcome } from '@aigw/proto';
import type { RedisClient } from '@aigw/redis';
import { WINDOW_MS, type AffinityPick } from './ring-walk.js';

// pickWithAffinity() of ring-walk.ts, run inside Redis so that the binding, the counter, the cooldown checks and
// the limit count are one atomic round trip shared by every replica. Every key carries the provider's hash tag,
// so the script also runs on Redis Cluster. Indexes in and out are 0-based; Lua's are 1-based.
//   KEYS[1]         round-robin counter
//   KEYS[1+i]       cooldown key of account i (i = 1..n)
//   KEYS[1+n+i]     rate-limit key of account i for the current minute window
//   KEYS[2+2n]      affinity binding key (absent: no affinity key, plain round robin)
//   KEYS[2+2n+i]    affinity index of account i (with a binding key only): the bindings it holds, score = expiry
//   ARGV[1]         ms until the next minute window (retry hint for rate-limited accounts)
//   ARGV[2]         window length in ms (TTL of a fresh rate-limit key)
//   ARGV[3]         binding TTL in ms (set on binding, refreshed on every hit)
//   ARGV[3+i]       "1" when account i is excluded
//   ARGV[3+n+i]     per-minute limit of account i, 0 = unlimited
//   ARGV[3+2n+i]    id of account i (what a binding holds)
// The chosen account is counted in its rate-limit key whether or not it has a limit (the admin API shows the
// count). Returns {index, 0, affinity} for the chosen account or {-1, retryAfterMs, 0}; affinity is the
// AffinityOutcome number (0 none, 1 hit, 2 new binding, 3 rebound).
const SELECT_LUA = `
local n = (#ARGV - 3) / 3
local bindingKey = KEYS[2 + 2 * n]
local function underLimit(i)
  local limit = tonumber(ARGV[3 + n + i])
  return limit == 0 or tonumber(redis.call('GET', KEYS[1 + n + i]) or '0') < limit
end
local function take(i)
  if redis.call('INCR', KEYS[1 + n + i]) == 1 then
    redis.call('PEXPIRE', KEYS[1 + n + i], ARGV[2])
  end
end
local function indexBinding(i)
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local index = KEYS[2 + 2 * n + i]
  redis.call('ZADD', index, now + tonumber(ARGV[3]), bindingKey)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
  redis.call('PEXPIRE', index, ARGV[3])
end
local affinity = 0
local boundIndex = nil
if bindingKey then
  affinity = 2
  local boundId = redis.call('GET', bindingKey)
  if boundId then
    affinity = 3
    for i = 1, n do
      if ARGV[3 + 2 * n + i] == boundId then
        if ARGV[3 + i] ~= '1' and redis.call('EXISTS', KEYS[1 + i]) == 0 and underLimit(i) then
          take(i)
          redis.call('PEXPIRE', bindingKey, ARGV[3])
          indexBinding(i)
          return {i - 1, 0, 1}
        end
        boundIndex = i
        break
      end
    end
  end
end
local counter = redis.call('INCR', KEYS[1])
local start = (counter - 1) % n
local msToNextWindow = tonumber(ARGV[1])
local hint = -1
for step = 0, n - 1 do
  local i = ((start + step) % n) + 1
  if ARGV[3 + i] ~= '1' then
    local pttl = redis.call('PTTL', KEYS[1 + i])
    if pttl ~= -2 then
      if pttl > 0 and (hint < 0 or pttl < hint) then hint = pttl end
    elseif not underLimit(i) then
      if hint < 0 or msToNextWindow < hint then hint = msToNextWindow end
    else
      take(i)
      if bindingKey then
        redis.call('SET', bindingKey, ARGV[3 + 2 * n + i], 'PX', ARGV[3])
        if boundIndex and boundIndex ~= i then redis.call('ZREM', KEYS[2 + 2 * n + boundIndex], bindingKey) end
        indexBinding(i)
      end
      return {i - 1, 0, affinity}
    end
  end
end
if hint < 0 then hint = 0 end
return {-1, hint, 0}
`;

const COMMAND = 'aigwSelectAccount';

type WithSelect = RedisClient & {
  [COMMAND](numKeys: number, ...args: (string | number)[]): Promise<[number, number, number]>;
};

/** One selection's keys and per-account facts, in ring order. */
export interface SelectScriptInput {
  counterKey: string;
  cooldownKeys: readonly string[];
  rateLimitKeys: readonly string[];
  excluded: readonly boolean[];
  limits: readonly number[];
  accountIds: readonly number[];
  /** The affinity binding's key; undefined for plain round robin. */
  bindingKey?: string | undefined;
  /** Per account, the index of the affinity bindings it holds (used with a binding key only). */
  affinityIndexKeys?: readonly string[];
  bindingTtlMs: number;
  msToNextWindow: number;
}

const defined = new WeakSet<RedisClient>();

/**
 * Defines the script's command on `redis`. Call it before the client sends anything: an auto-pipeline batch
 * made before a command was defined lacks it, and ioredis then fails the whole batch with a TypeError
 * thrown outside any promise (a crash).
 */
export function defineSelectScript(redis: RedisClient): void {
  withSelect(redis);
}

function withSelect(redis: RedisClient): WithSelect {
  // defineCommand sends EVALSHA and falls back to EVAL once per connection when the script is not loaded.
  if (!defined.has(redis)) {
    redis.defineCommand(COMMAND, { lua: SELECT_LUA });
    defined.add(redis);
  }
  return redis as WithSelect;
}

/**
 * Runs the selection in Redis: honours or (re)binds the affinity key, else INCRs the counter and walks the
 * ring; counts the chosen account against its limit.
 */
export async function runSelectScript(redis: RedisClient, input: SelectScriptInput): Promise<Omit<AffinityPick, 'advancesCounter'>> {
  const keys = [input.counterKey, ...input.cooldownKeys, ...input.rateLimitKeys];
  if (input.bindingKey !== undefined) {
    const indexes = input.affinityIndexKeys ?? [];
    if (indexes.length !== input.accountIds.length) throw new Error('affinityIndexKeys must name one index per account');
    keys.push(input.bindingKey, ...indexes);
  }
  const args = [
    input.msToNextWindow,
    WINDOW_MS,
    input.bindingTtlMs,
    ...input.excluded.map((excluded) => (excluded ? '1' : '0')),
    ...input.limits,
    ...input.accountIds,
  ];
  const [index, retryAfterMs, affinity] = await withSelect(redis)[COMMAND](keys.length, ...keys, ...args);
  if (index < 0) return { pick: { kind: 'exhausted', retryAfterMs }, affinity: AffinityOutcome.AFFINITY_OUTCOME_NONE };
  return { pick: { kind: 'chosen', index }, affinity: affinity as AffinityOutcome };
}
