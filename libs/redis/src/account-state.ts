import type { RedisClient } from './create-redis.js';
import { redisKeys } from './keys.js';

/** Length of the per-account request window the selector counts in `rl:` keys. */
export const RATE_WINDOW_MS = 60_000;

/** Why an account cools down (the selector's outcome script writes it; the admin API shows it). */
export type CooldownReason = 'rate_limited' | 'quota_exhausted' | 'auth_failed' | 'upstream_error' | 'timeout';

/** Where a cooldown's length came from. */
export type RetryAfterSource = 'retry-after' | 'quota-reset' | 'retry-info' | 'default';

/** One cooldown as stored in its cooldown key and in the provider's cooldown index. */
export interface CooldownRecord {
  accountId: number;
  model: string;
  reason: string;
  /** Unix ms until which the account is skipped for the model. */
  until: number;
  source: string;
  /** When the upstream said its quota resets (unix ms), if it said. */
  resetAt?: number;
}

/** The last upstream failure of an account: class, upstream status (0 = no answer), unix ms, a short message. */
export interface LastErrorRecord {
  class: string;
  status: number;
  at: number;
  message: string;
}

/** What Redis knows of one account right now. */
export interface AccountLiveState {
  cooldowns: CooldownRecord[];
  lastError: LastErrorRecord | null;
  /** Selections of the account in the current window. */
  rateWindowRequests: number;
  affinityBindings: number;
}

/** An account to read, with the provider name its keys are tagged with. */
export interface AccountRef {
  id: number;
  provider: string;
}

function parseJson(text: string | null | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A cooldown index member back into a record; undefined for anything this version did not write. */
export function parseCooldownRecord(text: string): CooldownRecord | undefined {
  const v = parseJson(text);
  if (v === undefined) return undefined;
  const { accountId, model, reason, until, source, resetAt } = v;
  if (typeof accountId !== 'number' || typeof model !== 'string' || typeof until !== 'number') return undefined;
  return {
    accountId,
    model,
    reason: typeof reason === 'string' ? reason : 'upstream_error',
    until,
    source: typeof source === 'string' ? source : 'default',
    ...(typeof resetAt === 'number' && resetAt > 0 ? { resetAt } : {}),
  };
}

/** A last-error value back into a record. */
export function parseLastErrorRecord(text: string | null): LastErrorRecord | null {
  const v = parseJson(text);
  if (v === undefined || typeof v.class !== 'string' || typeof v.at !== 'number') return null;
  return { class: v.class, status: typeof v.status === 'number' ? v.status : 0, at: v.at, message: typeof v.message === 'string' ? v.message : '' };
}

/**
 * The live state of `accounts`, cluster-wide, in one batch of commands (auto-pipelined: one round trip per
 * Redis node): per provider its cooldown index (members not yet expired), per account its last error, its
 * count in the current rate window and its live affinity bindings. Rejects when Redis fails; callers bound
 * the wait.
 */
export async function readAccountStates(redis: RedisClient, accounts: readonly AccountRef[], now = Date.now()): Promise<Map<number, AccountLiveState>> {
  const providers = [...new Set(accounts.map((a) => a.provider))];
  const window = Math.floor(now / RATE_WINDOW_MS);
  const [indexes, perAccount] = await Promise.all([
    Promise.all(providers.map((p) => redis.zrangebyscore(redisKeys.cooldownIndex(p), `(${now}`, '+inf'))),
    Promise.all(
      accounts.map(({ id, provider }) =>
        Promise.all([
          redis.get(redisKeys.lastError(provider, id)),
          redis.get(redisKeys.rateLimit(provider, id, window)),
          redis.zcount(redisKeys.affinityIndex(provider, id), `(${now}`, '+inf'),
        ]),
      ),
    ),
  ]);
  const cooling = new Map<string, CooldownRecord[]>();
  for (const [i, members] of indexes.entries()) {
    const provider = providers[i] as string;
    for (const member of members) {
      const record = parseCooldownRecord(member);
      if (record === undefined) continue;
      const key = `${provider}\u0000${record.accountId}`;
      cooling.set(key, [...(cooling.get(key) ?? []), record]);
    }
  }
  const states = new Map<number, AccountLiveState>();
  for (const [i, { id, provider }] of accounts.entries()) {
    const [lastError, used, bindings] = perAccount[i] ?? [null, null, 0];
    states.set(id, {
      cooldowns: (cooling.get(`${provider}\u0000${id}`) ?? []).sort((a, b) => a.until - b.until),
      lastError: parseLastErrorRecord(lastError),
      rateWindowRequests: Number(used ?? 0) || 0,
      affinityBindings: bindings,
    });
  }
  return states;
}
