import type { BusNames, NatsConnection } from '@aigw/bus';
import type { PrismaWithLiterals } from '@aigw/db';
import type { Logger } from '@aigw/logger';
import type { LoggingConfig } from './config.js';
import { LogConsumer } from './consumer/log-consumer.js';
import { LogWriter } from './ingest/log-writer.js';
import type { LoggingMetrics } from './observability/logging-metrics.js';
import { RetentionJob } from './retention/retention-job.js';

export interface LoggingServerDeps {
  nc: NatsConnection;
  db: PrismaWithLiterals;
  names: BusNames;
  logger: Logger;
  config: Pick<
    LoggingConfig,
    | 'BATCH_MAX'
    | 'BATCH_WAIT_MS'
    | 'WRITE_CONCURRENCY'
    | 'ACK_WAIT_MS'
    | 'RETRY_MIN_MS'
    | 'RETRY_MAX_MS'
    | 'RETENTION_DAYS'
    | 'RETENTION_INTERVAL_MS'
    | 'PARTITIONS_AHEAD_DAYS'
  >;
  metrics?: LoggingMetrics;
}

/** The running parts of the logging service. */
export interface LoggingServer {
  /** Ensures the stream and durable consumer, then consumes; resolves once consuming. */
  start(): Promise<void>;
  /** Stops fetching, commits and acknowledges the batch in hand, stops retention. Closes no connection. */
  stop(): Promise<void>;
}

/** Wires the consumer, the writer and the retention job; listens on nothing. */
export function createServer(deps: LoggingServerDeps): LoggingServer {
  const { config } = deps;
  const writer = new LogWriter(deps.db, { transactionTimeoutMs: Math.max(1_000, Math.floor(config.ACK_WAIT_MS / 2)) });
  const consumer = new LogConsumer({
    nc: deps.nc,
    names: deps.names,
    writer,
    logger: deps.logger,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    options: {
      batchMax: config.BATCH_MAX,
      batchWaitMs: config.BATCH_WAIT_MS,
      writeConcurrency: config.WRITE_CONCURRENCY,
      ackWaitMs: config.ACK_WAIT_MS,
      retryMinMs: config.RETRY_MIN_MS,
      retryMaxMs: Math.max(config.RETRY_MIN_MS, config.RETRY_MAX_MS),
    },
  });
  const retention = new RetentionJob(
    deps.db.prisma,
    deps.logger,
    { days: config.RETENTION_DAYS, intervalMs: config.RETENTION_INTERVAL_MS, aheadDays: config.PARTITIONS_AHEAD_DAYS },
    deps.metrics,
  );
  return {
    async start() {
      await consumer.start();
      retention.start();
    },
    async stop() {
      await Promise.all([consumer.stop(), retention.stop()]);
    },
  };
}
