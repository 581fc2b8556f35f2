import { createHash } from 'node:crypto';
import type { PrismaClient } from '@aigw/db';
import type { Logger } from '@aigw/logger';
import { describeError } from '../ingest/write-errors.js';
import type { LoggingMetrics } from '../observability/logging-metrics.js';
import { CATCH_ALL, dropSql, planPartitions, reorganizeSql, type PartitionInfo, type PartitionPlan } from './partition-plan.js';

export interface RetentionOptions {
  /** Day partitions whose every row is older than this many days are dropped; 0 keeps everything. */
  days: number;
  intervalMs: number;
  /** Days ahead of today that get their partition before their first row. */
  aheadDays: number;
  /** Longest wait for another replica's maintenance to finish before skipping this round. */
  lockWaitSeconds?: number;
}

/**
 * Maintains request_logs' day partitions: splits pmax into the days ahead and drops whole days past
 * retention (a metadata change: no row-by-row DELETE). One replica at a time, under a GET_LOCK named for the
 * database, taken on the same connection as the DDL (one interactive transaction holds it).
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    private readonly options: RetentionOptions,
    private readonly metrics?: LoggingMetrics,
  ) {}

  /** Runs once soon and then every intervalMs (partitions ahead are made even when retention is off). */
  start(): void {
    const tick = (): void => {
      this.current = this.runOnce().catch((error: unknown) => {
        this.metrics?.partitionFailures.inc();
        this.logger.warn({ error: describeError(error) }, 'request-log partition maintenance failed; retrying next interval');
      });
      void this.current.finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, Math.min(this.options.intervalMs, 10_000)).unref();
  }

  /** Creates the partitions ahead and drops the expired ones; returns what it did (empty when another replica held the lock). */
  async runOnce(nowMs = Date.now()): Promise<PartitionPlan> {
    return this.prisma.$transaction(
      async (tx) => {
        const lock = await lockName(tx);
        const rows = await tx.$queryRawUnsafe<{ acquired: unknown }[]>('SELECT GET_LOCK(?, ?) AS acquired', lock, this.options.lockWaitSeconds ?? 0);
        if (Number(rows[0]?.acquired) !== 1) {
          this.logger.debug('another replica is maintaining request-log partitions');
          return { create: [], drop: [] };
        }
        try {
          const partitions = await tx.$queryRawUnsafe<{ name: string | null; description: string | null }[]>(
            `SELECT PARTITION_NAME AS name, PARTITION_DESCRIPTION AS description FROM INFORMATION_SCHEMA.PARTITIONS
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'request_logs' ORDER BY PARTITION_ORDINAL_POSITION`,
          );
          const known: PartitionInfo[] = partitions.flatMap((p) => (p.name === null ? [] : [{ name: p.name, description: p.description }]));
          if (!known.some((p) => p.name === CATCH_ALL)) {
            throw new Error(`request_logs has no ${CATCH_ALL} partition; apply the migrations (20261207190000_request_logs_partitions)`);
          }
          const plan = planPartitions(known, { nowMs, aheadDays: this.options.aheadDays, retentionDays: this.options.days });
          if (plan.create.length > 0) {
            await tx.$executeRawUnsafe(reorganizeSql(plan.create));
            this.metrics?.partitionsCreated.inc(plan.create.length);
            this.logger.info({ created: plan.create.map((p) => p.name) }, 'request-log partitions created ahead');
          }
          if (plan.drop.length > 0) {
            const started = performance.now();
            await tx.$executeRawUnsafe(dropSql(plan.drop));
            this.metrics?.partitionsDropped.inc(plan.drop.length);
            this.logger.info(
              { dropped: plan.drop, ms: Math.round(performance.now() - started), retentionDays: this.options.days },
              'expired request-log partitions dropped',
            );
          }
          return plan;
        } finally {
          await tx.$queryRawUnsafe('SELECT RELEASE_LOCK(?)', lock);
        }
      },
      { maxWait: 10_000, timeout: 10 * 60_000 },
    );
  }

  /** Cancels the schedule and waits for a running round to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }
}

// GET_LOCK names are server-wide and at most 64 characters: carry the database, as the migrator's lock does.
async function lockName(tx: { $queryRawUnsafe<T>(sql: string): Promise<T> }): Promise<string> {
  const [row] = await tx.$queryRawUnsafe<{ db: string }[]>('SELECT DATABASE() AS db');
  return `aigw_log_partitions:${createHash('sha256').update(row?.db ?? '').digest('hex').slice(0, 40)}`;
}
