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
  /** Events JetStream acknowledged since the start (LogPublisher.published). */
  publishedEvents: () => number;
  /** Publishes (batches) that failed or went unacknowledged and were sent again (LogPublisher.failures). */
  publishFailures: () => number;
}

/** A counter whose value the source keeps (read at scrape time, as a gauge is). */
function sourcedCounter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      const value = read();
      if (value > 0) this.inc(value);
    },
  });
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
  sourcedCounter(registry, 'aigw_request_log_published_events_total', 'Request-log events JetStream acknowledged', gauges.publishedEvents);
  sourcedCounter(
    registry,
    'aigw_request_log_publish_failures_total',
    'Request-log publishes (batches) JetStream refused or left unacknowledged, each sent again',
    gauges.publishFailures,
  );
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
