import { Counter, type Registry } from '@aigw/metrics';

/** Why a call did without Redis: it failed or timed out (`redis_error`), or an outage was known (`redis_down`). */
export type FallbackReason = 'redis_error' | 'redis_down';

/** What the selector counts about its Redis fallbacks. */
export interface SelectorMetrics {
  /** A selection (`select`) or an outcome report (`report`) was handled in process instead of in Redis. */
  fallback(operation: 'select' | 'report', reason: FallbackReason): void;
}

/** Registers the selector's counters on `registry`. */
export function createSelectorMetrics(registry: Registry): SelectorMetrics {
  const fallbacks = new Counter({
    name: 'aigw_selector_fallback_total',
    help: 'Selections and outcome reports handled in process because Redis was unreachable (round robin not exact across replicas)',
    labelNames: ['operation', 'reason'] as const,
    registers: [registry],
  });
  return { fallback: (operation, reason) => fallbacks.inc({ operation, reason }) };
}

/** Counts nothing (tests). */
export const NO_SELECTOR_METRICS: SelectorMetrics = { fallback: () => undefined };
