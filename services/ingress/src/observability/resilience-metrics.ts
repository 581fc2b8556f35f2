import { Counter, Gauge, type Registry } from '@aigw/metrics';
import type { KeyLimitsOperation } from '../keys/key-limits.js';

/** Which in-process cache served an entry its source could not refresh (the `cache` label). */
export type StaleCache = 'api_key' | 'route' | 'credential';

/** What ingress does when a dependency fails, on /metrics (README "Failure behaviour"). */
export interface ResilienceMetrics {
  /** A request was answered from a cache entry that its failing source (MySQL, auth) could not refresh. */
  staleServed(cache: StaleCache): void;
  /** A client key's limits could not be checked (the request went through) or charged: Redis failed or did not answer in time. */
  keyLimitsUnavailable(operation: KeyLimitsOperation): void;
  /** Whether configuration-change events (NATS) reach this replica. */
  setConfigEventsConnected(connected: boolean): void;
}

/** Registers the failure-behaviour metrics of ingress. */
export function createResilienceMetrics(registry: Registry): ResilienceMetrics {
  const stale = new Counter({
    name: 'aigw_cache_stale_served_total',
    help: 'Requests answered from a cache entry that its failing source could not refresh, by cache',
    labelNames: ['cache'] as const,
    registers: [registry],
  });
  const keyLimits = new Counter({
    name: 'aigw_key_limits_unavailable_total',
    help: 'Client-key limit checks skipped (request let through) or charges lost because Redis failed or did not answer in time, by operation',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const events = new Gauge({
    name: 'aigw_config_events_connected',
    help: '1 while configuration-change events (NATS) reach this replica; 0 while client keys are rechecked in MySQL instead',
    registers: [registry],
  });
  events.set(1);
  return {
    staleServed: (cache) => stale.inc({ cache }),
    keyLimitsUnavailable: (operation) => keyLimits.inc({ operation }),
    setConfigEventsConnected: (connected) => events.set(connected ? 1 : 0),
  };
}
