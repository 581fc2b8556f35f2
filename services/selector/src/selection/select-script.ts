import type { RedisClient } from '@aigw/redis';
import { WINDOW_MS, type RingPick } from './ring-walk.js';

// The walk of ring-walk.ts, run inside Redis so that the counter, the cooldown checks and the limit count
// are one atomic round trip shared by every replica. Every key carries the provider's hash tag, so the
// script also runs on Redis Cluster. Indexes in and out are 0-based; Lua's are 1-based.
//   KEYS[1]         round-robin counter
//   KEYS[1+i]       cooldown key of account i (i = 1..n)
//   KEYS[1+n+i]     rate-limit key of account i for the current minute window
//   ARGV[1]         ms until the next minute window (retry hint for rate-limited accounts)
//   ARGV[2]         window length in ms (TTL of a fresh rate-limit key)
//   ARGV[2+i]       "1" when account i is excluded
//   ARGV[2+n+i]     per-minute limit of account i, 0 = unlimited
// Returns {index, 0} for the chosen account or {-1, retryAfterMs}.
const SELECT_LUA = `
local n = (#KEYS - 1) / 2
local counter = redis.call('INCR', KEYS[1])
local start = (counter - 1) % n
local msToNextWindow = tonumber(ARGV[1])
local hint = -1
for step = 0, n - 1 do
  local i = ((start + step) % n) + 1
  if ARGV[2 + i] ~= '1' then
    local pttl = redis.call('PTTL', KEYS[1 + i])
    if pttl ~= -2 then
      if pttl > 0 and (hint < 0 or pttl < hint) then hint = pttl end
    else
      local limit = tonumber(ARGV[2 + n + i])
      local used = 0
      if limit > 0 then used = tonumber(redis.call('GET', KEYS[1 + n + i]) or '0') end
      if limit > 0 and used >= limit then
        if hint < 0 or msToNextWindow < hint then hint = msToNextWindow end
      else
        if limit > 0 and redis.call('INCR', KEYS[1 + n + i]) == 1 then
          redis.call('PEXPIRE', KEYS[1 + n + i], ARGV[2])
        end
        return {i - 1, 0}
      end
    end
  end
end
if hint < 0 then hint = 0 end
return {-1, hint}
`;

const COMMAND = 'aigwSelectAccount';

type WithSelect = RedisClient & {
  [COMMAND](numKeys: number, ...args: (string | number)[]): Promise<[number, number]>;
};

/** One selection's keys and per-account facts, in ring order. */
export interface SelectScriptInput {
  counterKey: string;
  cooldownKeys: readonly string[];
  rateLimitKeys: readonly string[];
  excluded: readonly boolean[];
  limits: readonly number[];
  msToNextWindow: number;
}

const defined = new WeakSet<RedisClient>();

function withSelect(redis: RedisClient): WithSelect {
  // defineCommand sends EVALSHA and falls back to EVAL once per connection when the script is not loaded.
  if (!defined.has(redis)) {
    redis.defineCommand(COMMAND, { lua: SELECT_LUA });
    defined.add(redis);
  }
  return redis as WithSelect;
}

/** Runs the ring walk in Redis: INCRs the counter, picks an account and counts it against its limit. */
export async function runSelectScript(redis: RedisClient, input: SelectScriptInput): Promise<RingPick> {
  const keys = [input.counterKey, ...input.cooldownKeys, ...input.rateLimitKeys];
  const args = [
    input.msToNextWindow,
    WINDOW_MS,
    ...input.excluded.map((excluded) => (excluded ? '1' : '0')),
    ...input.limits,
  ];
  const [index, retryAfterMs] = await withSelect(redis)[COMMAND](keys.length, ...keys, ...args);
  return index >= 0 ? { kind: 'chosen', index } : { kind: 'exhausted', retryAfterMs };
}
