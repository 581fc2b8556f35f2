import { Prisma, type PrismaClient } from '@aigw/db';
import type { Logger } from '@aigw/logger';
import { utcDateTime } from '../ingest/log-row.js';
import { describeError } from '../ingest/write-errors.js';
import type { LoggingMetrics } from '../observability/logging-metrics.js';

export interface RetentionOptions {
  /** Rows older than this many days are deleted; 0 keeps everything. */
  days: number;
  intervalMs: number;
  /** Rows per DELETE, so that no statement holds locks for long. */
  chunkRows: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** Deletes request logs older than the retention period, periodically and in bounded chunks. */
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

  /** Runs once soon and then every intervalMs; does nothing when retention is off. */
  start(): void {
    if (this.options.days <= 0) return;
    const tick = (): void => {
      this.current = this.runOnce().catch((error: unknown) => {
        this.logger.warn({ error: describeError(error) }, 'request-log retention failed; retrying next interval');
      });
      void this.current.finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, Math.min(this.options.intervalMs, 10_000)).unref();
  }

  /** Deletes rows created before now − days; returns how many. */
  async runOnce(nowMs = Date.now()): Promise<number> {
    const cutoff = utcDateTime(nowMs - this.options.days * DAY_MS);
    let total = 0;
    for (;;) {
      const deleted = await this.prisma.$executeRaw(
        Prisma.sql`DELETE FROM request_logs WHERE created_at < ${cutoff} ORDER BY created_at LIMIT ${this.options.chunkRows}`,
      );
      total += deleted;
      this.metrics?.retentionDeleted.inc(deleted);
      if (deleted < this.options.chunkRows || this.stopped) break;
    }
    if (total > 0) this.logger.info({ deleted: total, cutoff }, 'old request logs deleted');
    return total;
  }

  /** Cancels the schedule and waits for a running chunk to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }
}
