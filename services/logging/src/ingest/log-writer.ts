import type { Prisma, PrismaClient } from '@aigw/db';
import { accountUsage, dailyRollups, freshRows } from './batch-plan.js';
import { bumpAccountsSql, insertLogsSql, MAX_ROWS_PER_INSERT, selectStoredIdsSql, upsertStatsSql } from './log-sql.js';
import type { LogRow } from './log-row.js';
import { isWriteRace } from './write-errors.js';

export interface WriteResult {
  /** Rows inserted (and counted in the rollups). */
  inserted: number;
  /** Rows skipped because their request id was stored already or repeated in the batch. */
  duplicates: number;
}

export interface LogWriterOptions {
  /** Longest a batch transaction may run; keep it below the consumer's ack wait. */
  transactionTimeoutMs?: number;
  /** Immediate retries after a race with another consumer. */
  raceRetries?: number;
}

/** Writes request-log batches idempotently: rows, rollups and account usage commit together or not at all. */
export class LogWriter {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: LogWriterOptions = {},
  ) {}

  /** Writes one batch; a request id seen before is skipped, so redelivered events never count twice. */
  async write(rows: readonly LogRow[]): Promise<WriteResult> {
    if (rows.length === 0) return { inserted: 0, duplicates: 0 };
    const retries = this.options.raceRetries ?? 3;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.prisma.$transaction((tx) => writeIn(tx, rows), {
          maxWait: 5_000,
          timeout: this.options.transactionTimeoutMs ?? 15_000,
        });
      } catch (error) {
        // The rollback undid everything; on the next attempt the pre-check sees what the other writer stored.
        if (attempt >= retries || !isWriteRace(error)) throw error;
      }
    }
  }
}

async function writeIn(tx: Prisma.TransactionClient, rows: readonly LogRow[]): Promise<WriteResult> {
  const stored = await tx.$queryRaw<{ request_id: string }[]>(selectStoredIdsSql(rows.map((row) => row.requestId)));
  const fresh = freshRows(
    rows,
    stored.map((row) => row.request_id),
  );
  if (fresh.length > 0) {
    for (let start = 0; start < fresh.length; start += MAX_ROWS_PER_INSERT) {
      await tx.$executeRaw(insertLogsSql(fresh.slice(start, start + MAX_ROWS_PER_INSERT)));
    }
    const proxyRollups = dailyRollups(fresh, 'proxyId');
    if (proxyRollups.length > 0) await tx.$executeRaw(upsertStatsSql('proxy_stats', proxyRollups));
    const accountRollups = dailyRollups(fresh, 'accountId');
    if (accountRollups.length > 0) await tx.$executeRaw(upsertStatsSql('account_stats', accountRollups));
    const usage = accountUsage(fresh);
    if (usage.length > 0) await tx.$executeRaw(bumpAccountsSql(usage));
  }
  return { inserted: fresh.length, duplicates: rows.length - fresh.length };
}
