import { Counter, Histogram, type Registry } from '@aigw/metrics';

/** What the consumer and the retention job report to Prometheus. */
export interface LoggingMetrics {
  eventsWritten: Counter;
  eventsDuplicate: Counter;
  eventsInvalid: Counter;
  batchFailures: Counter;
  batchSeconds: Histogram;
  retentionDeleted: Counter;
}

/** Registers the logging service's metrics on `registry`. */
export function createLoggingMetrics(registry: Registry): LoggingMetrics {
  const registers = [registry];
  return {
    eventsWritten: new Counter({ name: 'aigw_log_events_written_total', help: 'Request-log rows inserted', registers }),
    eventsDuplicate: new Counter({
      name: 'aigw_log_events_duplicate_total',
      help: 'Events skipped because their request id was already stored (redeliveries)',
      registers,
    }),
    eventsInvalid: new Counter({ name: 'aigw_log_events_invalid_total', help: 'Undecodable events terminated', registers }),
    batchFailures: new Counter({ name: 'aigw_log_batch_failures_total', help: 'Batches not written (retried later)', registers }),
    batchSeconds: new Histogram({
      name: 'aigw_log_batch_write_seconds',
      help: 'Time to write one batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    retentionDeleted: new Counter({ name: 'aigw_log_retention_deleted_total', help: 'Old request-log rows deleted', registers }),
  };
}
