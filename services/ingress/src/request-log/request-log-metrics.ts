import type { DropReason } from '@aigw/bus';
import { Counter, Gauge, type Registry } from '@aigw/metrics';

/** What the request-log path shows on /metrics: events not yet in JetStream, the outbox's size, drops. */
export interface RequestLogMetrics {
  /** Events that could not be kept (outbox full; memory full when the outbox cannot be written). */
  dropped(events: number, reason: DropReason): void;
}

export interface RequestLogGauges {
  /** Events not yet acknowledged by JetStream (in memory and in the outbox). */
  pendingEvents: () => number;
  /** Bytes of the outbox on disk. */
  outboxBytes: () => number;
}

/** Registers the request-log metrics; gauges are read at scrape time, so they cost nothing per request. */
export function createRequestLogMetrics(registry: Registry, gauges: RequestLogGauges): RequestLogMetrics {
  new Gauge({
    name: 'aigw_request_log_pending_events',
    help: 'Request-log events not yet acknowledged by JetStream (kept in the outbox until they are)',
    registers: [registry],
    collect() {
      this.set(gauges.pendingEvents());
    },
  });
  new Gauge({
    name: 'aigw_request_log_outbox_bytes',
    help: 'Bytes of the on-disk request-log outbox (LOG_OUTBOX_MAX_BYTES at most)',
    registers: [registry],
    collect() {
      this.set(gauges.outboxBytes());
    },
  });
  const dropped = new Counter({
    name: 'aigw_request_log_dropped_total',
    help: 'Request-log events dropped because they could not be kept, by reason (outbox_full, memory_full)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return {
    dropped: (events, reason) => dropped.inc({ reason }, events),
  };
}
