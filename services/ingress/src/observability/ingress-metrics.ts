import { Counter, Gauge, Histogram, type Registry } from '@aigw/metrics';
import { AffinityOutcome } from '@aigw/proto';

/** The metrics ingress exports on /metrics. */
export interface IngressMetrics {
  registry: Registry;
  /** One finished HTTP request on `route` (the matched route pattern, never the raw path). */
  observeRequest(route: string, status: number, seconds: number): void;
  /** Upstream calls made for one client request. */
  countAttempts(providerId: number, attempts: number): void;
  /** What session affinity did for a request's account (nothing counted for NONE). */
  countAffinity(providerId: number, outcome: AffinityOutcome): void;
  /** A request the admission gate shed (503 + Retry-After), by why. */
  countShed(reason: string): void;
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
  const attempts = new Counter({
    name: 'aigw_upstream_attempts_total',
    help: 'Upstream calls made through provider-call, by provider id',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  const affinity = new Counter({
    name: 'aigw_session_affinity_total',
    help: 'Requests by what session affinity did for their account (hit: the conversation kept its account), by provider id',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  return {
    registry,
    observeRequest(route, status, seconds) {
      requests.inc({ route, status: String(status) });
      latency.observe({ route }, seconds);
    },
    countAttempts(providerId, count) {
      if (count > 0) attempts.inc({ provider: String(providerId) }, count);
    },
    countAffinity(providerId, outcome) {
      const label = AFFINITY_LABELS[outcome];
      if (label !== undefined) affinity.inc({ provider: String(providerId), outcome: label });
    },
    countShed(reason) {
      shed.inc({ reason });
    },
  };
}
