import { Counter, Gauge, type Registry } from '@aigw/metrics';

/** Which in-process cache served an entry its source could not refresh (the `cache` label). */
export type StaleCache = 'api_key' | 'route' | 'credential';

/** What ingress does when a dependency fails, on /metrics (README "Failure behaviour"). */
export interface ResilienceMetrics {
  /** A request was answered from a cache entry that its failing source (MySQL, auth) could not refresh. */
  staleServed(cache: StaleCache): void;
  /** A request went through unlimited because the client rate-limit counter (Redis) did not answer. */
  rateLimitSkipped(): void;
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
  const skipped = new Counter({
    name: 'aigw_client_rate_limit_skipped_total',
    help: 'Requests let through without a rate-limit check because the counter (Redis) failed or did not answer in time',
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
    rateLimitSkipped: () => skipped.inc(),
    setConfigEventsConnected: (connected) => events.set(connected ? 1 : 0),
  };
}
