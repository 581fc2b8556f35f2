import { commonFields, positiveInt, z } from '@aigw/config';

/** The logging service's environment. */
export const loggingConfigSchema = z.object({
  ...commonFields,
  /**
   * Events per database transaction; JetStream's max_ack_pending (50,000) bounds it. Large batches spread the
   * per-transaction work (round trips, the rollup upserts whose rows every batch locks) over many rows.
   * Measured on a backlog of 1,000,000 events (`npm run bench -- --scenarios=S5`): 5,000 peaked at 218–227 MB
   * of RSS for 36–38k events/s, 2,000 at 183–184 MB for 28–33k events/s.
   */
  BATCH_MAX: z.coerce.number().int().min(1).max(20_000).default(2_000),
  BATCH_WAIT_MS: positiveInt(200),
  /** Batches in their own transactions at once; 2 overlaps this process's CPU work with the database's. */
  WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(2),
  ACK_WAIT_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** First and longest delay before a failed batch is retried. */
  RETRY_MIN_MS: positiveInt(500),
  RETRY_MAX_MS: positiveInt(10_000),
  /**
   * Days of request_logs kept; 0 keeps everything. request_logs is partitioned by UTC day, and a day's partition
   * is dropped once its every row is older than this. Daily rollups are never deleted.
   */
  RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  /** How often partitions are maintained: the days ahead made, the expired days dropped. */
  RETENTION_INTERVAL_MS: positiveInt(3_600_000),
  /** Days ahead of today whose partitions exist before their first row (so pmax stays empty). */
  PARTITIONS_AHEAD_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /** Connections to MariaDB: WRITE_CONCURRENCY writers plus the retention job. */
  DB_POOL_SIZE: positiveInt(4),
});

export type LoggingConfig = z.infer<typeof loggingConfigSchema>;
