import { Counter, createCacheLookups, type Registry } from '@aigw/metrics';

/** What auth counts about its token refreshes and its Redis calls. */
export interface AuthMetrics {
  /** A refresh-token grant succeeded or failed (endpoint error, timeout, rejection). */
  refreshed(result: 'success' | 'failure'): void;
  /** A Redis call (`read`, `write`, `drop`, `lock`) failed or was skipped during an outage; the caller did without it. */
  redisFailed(operation: string): void;
  /** GetCredential failed at once: the account backs off after failed refreshes, or its refresh is slow. */
  failedFast(reason: 'backoff' | 'slow_refresh'): void;
  /** A token lookup in the in-process cache (`oauth_token`) or in Redis (`oauth_token_redis`): hit when usable. */
  tokenLookup(cache: 'oauth_token' | 'oauth_token_redis', hit: boolean): void;
}

/** Registers auth's counters on `registry`. */
export function createAuthMetrics(registry: Registry): AuthMetrics {
  const refreshes = new Counter({
    name: 'aigw_auth_oauth_refreshes_total',
    help: 'OAuth refresh-token grants, by result',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const redis = new Counter({
    name: 'aigw_auth_redis_fallback_total',
    help: 'Redis calls auth did without (failed, timed out, or skipped while Redis is unreachable), by operation',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const fast = new Counter({
    name: 'aigw_auth_credential_fast_failures_total',
    help: 'GetCredential calls failed at once for an account with no valid token, by reason (backoff, slow_refresh)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const lookups = createCacheLookups(registry);
  return {
    tokenLookup: (cache, hit) => lookups(cache, hit),
    refreshed: (result) => refreshes.inc({ result }),
    redisFailed: (operation) => redis.inc({ operation }),
    failedFast: (reason) => fast.inc({ reason }),
  };
}

/** Counts nothing (tests). */
export const NO_AUTH_METRICS: AuthMetrics = {
  refreshed: () => undefined,
  redisFailed: () => undefined,
  failedFast: () => undefined,
  tokenLookup: () => undefined,
};
