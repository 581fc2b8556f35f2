import { Counter, type Registry } from '@aigw/metrics';

/** What the response store counts: failures (Redis unreachable or slow) and responses not kept. */
export interface ResponseStoreMetrics {
  /** A store operation failed (`save`, `load`, `delete`, `items`). */
  failed(operation: string): void;
  /** A response that should have been kept was not (`too_large`, `no_response`: the answer named none). */
  notStored(reason: string): void;
}

/** Registers the response store's counters on `registry`. */
export function createResponseStoreMetrics(registry: Registry): ResponseStoreMetrics {
  const failures = new Counter({
    name: 'aigw_response_store_failures_total',
    help: 'Response store (Responses API store / previous_response_id) operations that failed, by operation',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const skipped = new Counter({
    name: 'aigw_response_store_not_stored_total',
    help: 'Responses that asked to be stored but were not, by reason (too_large: over RESPONSE_STORE_MAX_BYTES)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return {
    failed: (operation) => failures.inc({ operation }),
    notStored: (reason) => skipped.inc({ reason }),
  };
}

/** Counts nothing (tests, and a server built without a store). */
export const NO_RESPONSE_STORE_METRICS: ResponseStoreMetrics = { failed: () => undefined, notStored: () => undefined };
