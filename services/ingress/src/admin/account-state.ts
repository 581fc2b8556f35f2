import type { Account, Proxy } from '@aigw/db';
import { z } from '@aigw/config';
import { RATE_WINDOW_MS, type AccountLiveState } from '@aigw/redis';

/** An account row as the state routes load it: its provider's name and its proxy. */
export type AccountStateRow = Account & { provider: { name: string }; proxy: Proxy | null };

const iso = z.string().describe('ISO-8601');

/** GET /accounts/:id/state (and each row of GET /accounts/state): the account's live state, cluster-wide. */
export const accountStateSchema = z.object({
  accountId: z.number().int(),
  label: z.string(),
  providerId: z.number().int(),
  provider: z.string(),
  isActive: z.boolean(),
  status: z.enum(['active', 'cooling', 'disabled', 'waiting_for_proxy']),
  /** False when Redis did not answer in time: the live fields below are then empty or null, the rest is the database's. */
  stateAvailable: z.boolean(),
  cooldowns: z.array(
    z.object({
      model: z.string().nullable(),
      reason: z.string().describe("'rate_limited' | 'quota_exhausted' | 'auth_failed' | 'upstream_error' | 'timeout'"),
      until: iso,
      retryAfterSource: z.string().describe("'retry-after' | 'quota-reset' | 'retry-info' | 'default'"),
    }),
  ),
  quotaResetAt: iso.nullable(),
  rateWindow: z.object({ requests: z.number().int().nullable(), windowSeconds: z.number().int(), limit: z.number().int().nullable() }),
  lastUsedAt: iso.nullable(),
  lastError: z.object({ class: z.string(), status: z.number().int(), at: iso, message: z.string() }).nullable(),
  affinityBindings: z.number().int().nullable(),
  proxy: z.object({ id: z.number().int(), label: z.string(), url: z.string(), healthy: z.boolean() }).nullable(),
});

export type AccountState = z.infer<typeof accountStateSchema>;

export const accountStateListSchema = z.object({ stateAvailable: z.boolean(), data: z.array(accountStateSchema) });

/** A proxy URL without user name or password (scheme, host and port are all an operator needs to recognise it). */
export function proxyUrlWithoutCredentials(proxyUrl: string): string {
  try {
    const url = new URL(proxyUrl);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '[invalid proxy url]';
  }
}

const isoOf = (ms: number) => new Date(ms).toISOString();

/**
 * The admin API's view of one account: the database's facts, and, when Redis answered (`live` defined), its
 * cooldowns (only those still running at `now`), quota reset, rate window, last error and affinity bindings.
 */
export function presentAccountState(row: AccountStateRow, live: AccountLiveState | undefined, now = Date.now()): AccountState {
  const cooldowns = (live?.cooldowns ?? []).filter((c) => c.until > now);
  const waitingForProxy = row.egress !== 'direct' && row.proxyId === null;
  const status = !row.isActive ? 'disabled' : waitingForProxy ? 'waiting_for_proxy' : cooldowns.length > 0 ? 'cooling' : 'active';
  const resets = cooldowns.map((c) => c.resetAt).filter((at): at is number => at !== undefined && at > now);
  return {
    accountId: row.id,
    label: row.label,
    providerId: row.providerId,
    provider: row.provider.name,
    isActive: row.isActive,
    status,
    stateAvailable: live !== undefined,
    cooldowns: cooldowns.map((c) => ({ model: c.model || null, reason: c.reason, until: isoOf(c.until), retryAfterSource: c.source })),
    quotaResetAt: resets.length === 0 ? null : isoOf(Math.max(...resets)),
    rateWindow: { requests: live?.rateWindowRequests ?? null, windowSeconds: RATE_WINDOW_MS / 1000, limit: row.rateLimitPerMin },
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastError: live?.lastError ? { ...live.lastError, at: isoOf(live.lastError.at) } : null,
    affinityBindings: live?.affinityBindings ?? null,
    proxy:
      row.proxy === null
        ? null
        : {
            id: row.proxy.id,
            label: row.proxy.label,
            url: proxyUrlWithoutCredentials(row.proxy.proxyUrl),
            healthy: row.proxy.isActive && row.proxy.failureCount < row.proxy.maxFailures,
          },
  };
}
