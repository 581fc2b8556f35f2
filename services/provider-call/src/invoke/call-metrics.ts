import { Counter, Histogram, type Registry } from '@aigw/metrics';

/** What the invoke paths report about each upstream call. */
export interface CallMetrics {
  /** `outcome` is the upstream status class (2xx, 4xx, 5xx) or an error code; `headersMs` when headers came. */
  observe(provider: string, outcome: string, headersMs?: number): void;
}

/** Prometheus counters of upstream calls by provider and outcome, and time to response headers. */
export function createCallMetrics(registry: Registry): CallMetrics {
  const calls = new Counter({
    name: 'aigw_provider_call_upstream_requests_total',
    help: 'Upstream calls by provider name and outcome (status class or error code)',
    labelNames: ['provider', 'outcome'],
    registers: [registry],
  });
  const headers = new Histogram({
    name: 'aigw_provider_call_upstream_headers_seconds',
    help: 'Time from sending an upstream request to its response headers, by provider name',
    labelNames: ['provider'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return {
    observe(provider, outcome, headersMs) {
      calls.inc({ provider, outcome });
      if (headersMs !== undefined) headers.observe({ provider }, headersMs / 1000);
    },
  };
}

/** The status class label of an HTTP status. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
