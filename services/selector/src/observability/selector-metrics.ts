import { Counter, type Registry } from '@aigw/metrics';
import { AffinityOutcome } from '@aigw/proto';

/** Why a call did without Redis: it failed or timed out (`redis_error`), or an outage was known (`redis_down`). */
export type FallbackReason = 'redis_error' | 'redis_down';

/** How a selection ended: an account chosen, none active (`no_account`), every one skipped (`exhausted`). */
export type SelectionResult = 'chosen' | 'no_account' | 'exhausted';

/** What the selector counts; `provider` is the provider's name, as in every service. */
export interface SelectorMetrics {
  /** A selection (`select`) or an outcome report (`report`) was handled in process instead of in Redis. */
  fallback(operation: 'select' | 'report', reason: FallbackReason): void;
  /** One SelectAccount answer, with what session affinity did (NONE when the route has none). */
  selected(provider: string, result: SelectionResult, affinity?: AffinityOutcome): void;
  /** An outcome report put an account into cooldown. */
  cooldownSet(provider: string): void;
}

const AFFINITY_LABELS: Partial<Record<AffinityOutcome, string>> = {
  [AffinityOutcome.AFFINITY_OUTCOME_HIT]: 'hit',
  [AffinityOutcome.AFFINITY_OUTCOME_NEW_BINDING]: 'new_binding',
  [AffinityOutcome.AFFINITY_OUTCOME_REBOUND]: 'rebound',
};

/** Registers the selector's counters on `registry`. */
export function createSelectorMetrics(registry: Registry): SelectorMetrics {
  const fallbacks = new Counter({
    name: 'aigw_selector_fallback_total',
    help: 'Selections and outcome reports handled in process because Redis was unreachable (round robin not exact across replicas)',
    labelNames: ['operation', 'reason'] as const,
    registers: [registry],
  });
  const selections = new Counter({
    name: 'aigw_selector_selections_total',
    help: 'SelectAccount answers by provider name and result (chosen, no_account: none active, exhausted: all cooling down or rate limited)',
    labelNames: ['provider', 'result'] as const,
    registers: [registry],
  });
  const affinity = new Counter({
    name: 'aigw_selector_affinity_total',
    help: 'Selections with session affinity by provider name and outcome (hit: the conversation kept its account, new_binding, rebound)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const cooldowns = new Counter({
    name: 'aigw_selector_cooldowns_total',
    help: 'Cooldowns set on an account after a failed upstream call, by provider name',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  return {
    fallback: (operation, reason) => fallbacks.inc({ operation, reason }),
    selected(provider, result, outcome) {
      selections.inc({ provider, result });
      const label = outcome === undefined ? undefined : AFFINITY_LABELS[outcome];
      if (label !== undefined) affinity.inc({ provider, outcome: label });
    },
    cooldownSet: (provider) => cooldowns.inc({ provider }),
  };
}

/** Counts nothing (tests). */
export const NO_SELECTOR_METRICS: SelectorMetrics = { fallback: () => undefined, selected: () => undefined, cooldownSet: () => undefined };
