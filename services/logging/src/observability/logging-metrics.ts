import { Counter, Gauge, Histogram, type Registry } from '@aigw/metrics';

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

/** The durable consumer's state as JetStream reports it (consumer info). */
export interface ConsumerState {
  /** Messages in the stream not yet delivered to this consumer: the lag. */
  pending: number;
  /** Messages delivered and not yet acknowledged (being written). */
  ackPending: number;
  /** Messages delivered more than once and still unacknowledged. */
  redelivered: number;
}

/** The consumer lag gauges, asked of JetStream when scraped (one consumer-info request per scrape). */
export function registerConsumerMetrics(registry: Registry, read: () => Promise<ConsumerState | undefined>): void {
  new Gauge({
    name: 'aigw_log_consumer_messages',
    help: 'Request-log messages of the durable consumer, by state (pending: not yet delivered, the lag; ack_pending: being written; redelivered: delivered again, unacknowledged)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const state = await read().catch(() => undefined);
      if (state === undefined) return;
      this.set({ state: 'pending' }, state.pending);
      this.set({ state: 'ack_pending' }, state.ackPending);
      this.set({ state: 'redelivered' }, state.redelivered);
    },
  });
}
