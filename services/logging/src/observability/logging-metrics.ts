import { Counter, Histogram, type Registry } from '@aigw/metrics';

/** What the consumer and the retention job report to Prometheus. */
export interface LoggingMetrics {
  eventsWritten: Counter;
  eventsDuplicate: Counter;
  eventsInvalid: Counter;
  batchFailures: Counter;
  batchSeconds: Histogram;
  partitionsCreated: Counter;
  partitionsDropped: Counter;
  partitionFailures: Counter;
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
    partitionsCreated: new Counter({ name: 'aigw_log_partitions_created_total', help: 'request_logs day partitions created ahead', registers }),
    partitionsDropped: new Counter({
      name: 'aigw_log_partitions_dropped_total',
      help: 'request_logs day partitions dropped by retention',
      registers,
    }),
    partitionFailures: new Counter({
      name: 'aigw_log_partition_maintenance_failures_total',
      help: 'Partition maintenance rounds that failed (retried next interval)',
      registers,
    }),
  };
}
