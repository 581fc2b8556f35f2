import { Counter, Gauge, Histogram, type Registry } from '@aigw/metrics';
import type { RequestLogEvent } from '@aigw/proto';
import { AffinityOutcome } from '@aigw/proto';

/** The metrics ingress exports on /metrics. */
export interface IngressMetrics {
  registry: Registry;
  /** One finished HTTP request on `route` (the matched route pattern, never the raw path). */
  observeRequest(route: string, status: number, seconds: number): void;
  /** Upstream calls made for one client request; `provider` is the provider's name, as in every service. */
  countAttempts(provider: string, attempts: number): void;
  /** What session affinity did for a request's account (nothing counted for NONE). */
  countAffinity(provider: string, outcome: AffinityOutcome): void;
  /** A proxied request's usage and cost, from the request-log event it produced (nothing when it used nothing). */
  countUsage(labels: UsageLabels, event: Pick<RequestLogEvent, 'usage' | 'costMicroUsd'>): void;
  /** Time from the request's arrival to the first byte of its answer sent to the client. */
  observeFirstByte(provider: string, stream: boolean, seconds: number): void;
  /** A request the admission gate shed (503 + Retry-After), by why. */
  countShed(reason: string): void;
}

/** Labels of the usage counters: provider name, upstream model, client key id (bounded by the keys that exist). */
export interface UsageLabels {
  provider: string;
  model: string;
  key: string;
}

const AFFINITY_LABELS: Partial<Record<AffinityOutcome, string>> = {
  [AffinityOutcome.AFFINITY_OUTCOME_HIT]: 'hit',
  [AffinityOutcome.AFFINITY_OUTCOME_NEW_BINDING]: 'new_binding',
  [AffinityOutcome.AFFINITY_OUTCOME_REBOUND]: 'rebound',
};

/** Values read when /metrics is scraped, so that they cost nothing per request. */
export interface IngressGauges {
  /** Request-body bytes held at once over all requests (BodyBudget.used). */
  bodyBytesHeld?: () => number;
  /** Proxied requests being served and waiting for a slot (AdmissionGate). */
  admission?: { inFlight: () => number; queued: () => number };
}

/** Registers the ingress metrics on `registry`. */
export function createIngressMetrics(registry: Registry, gauges: IngressGauges = {}): IngressMetrics {
  const { bodyBytesHeld, admission } = gauges;
  if (admission !== undefined) {
    new Gauge({
      name: 'aigw_ingress_in_flight',
      help: 'Proxied requests being served (streams until their end); bounded by MAX_IN_FLIGHT',
      registers: [registry],
      collect() {
        this.set(admission.inFlight());
      },
    });
    new Gauge({
      name: 'aigw_ingress_queued',
      help: 'Proxied requests waiting for a slot (at most MAX_QUEUE, each at most MAX_QUEUE_MS)',
      registers: [registry],
      collect() {
        this.set(admission.queued());
      },
    });
  }
  const shed = new Counter({
    name: 'aigw_ingress_shed_total',
    help: 'Requests answered 503 with Retry-After at once because ingress was overloaded, by reason (queue_full, queue_timeout)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  if (bodyBytesHeld !== undefined) {
    new Gauge({
      name: 'aigw_http_body_bytes_held',
      help: 'Request-body bytes held at once over all requests; new bodies get 503 once BODY_BUDGET is reached',
      registers: [registry],
      collect() {
        this.set(bodyBytesHeld());
      },
    });
  }
  const requests = new Counter({
    name: 'aigw_http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'aigw_http_request_duration_seconds',
    help: 'Time from request to the end of the response, by route',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const firstByte = new Histogram({
    name: 'aigw_http_first_byte_seconds',
    help: 'Time from a proxied request to the first byte of its answer (stream: the first event), by provider and stream',
    labelNames: ['provider', 'stream'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'aigw_tokens_total',
    help: 'Tokens the upstreams reported, by provider, upstream model, client key id and kind (input: whole prompt; cached and cache_write: parts of it; output; reasoning: a part of output)',
    labelNames: ['provider', 'model', 'key', 'kind'] as const,
    registers: [registry],
  });
  const cost = new Counter({
    name: 'aigw_cost_usd_total',
    help: 'What the requests cost in USD at the route price or the price table, by provider, upstream model and client key id',
    labelNames: ['provider', 'model', 'key'] as const,
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'aigw_upstream_attempts_total',
    help: 'Upstream calls made through provider-call, by provider name',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  const affinity = new Counter({
    name: 'aigw_session_affinity_total',
    help: 'Requests by what session affinity did for their account (hit: the conversation kept its account), by provider name',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  return {
    registry,
    observeRequest(route, status, seconds) {
      requests.inc({ route, status: String(status) });
      latency.observe({ route }, seconds);
    },
    countAttempts(provider, count) {
      if (count > 0) attempts.inc({ provider }, count);
    },
    countAffinity(provider, outcome) {
      const label = AFFINITY_LABELS[outcome];
      if (label !== undefined) affinity.inc({ provider, outcome: label });
    },
    countUsage(labels, { usage, costMicroUsd }) {
      if (usage !== undefined) {
        const kinds: [string, number][] = [
          ['input', usage.inputTokens],
          ['output', usage.outputTokens],
          ['cached', usage.cachedInputTokens],
          ['cache_write', usage.cacheWriteInputTokens ?? 0],
          ['reasoning', usage.reasoningOutputTokens ?? 0],
        ];
        for (const [kind, count] of kinds) if (count > 0) tokens.inc({ ...labels, kind }, count);
      }
      if (costMicroUsd !== undefined && costMicroUsd > 0) cost.inc(labels, costMicroUsd / 1_000_000);
    },
    observeFirstByte(provider, stream, seconds) {
      firstByte.observe({ provider, stream: String(stream) }, seconds);
    },
    countShed(reason) {
      shed.inc({ reason });
    },
  };
}
