import type { Prisma, PrismaWithLiterals } from '@aigw/db';
import { accountUsage, dailyRollups, freshRows, keyLastUse } from './batch-plan.js';
import { bumpAccountsSql, insertLogsSql, selectStoredIdsSql, touchKeysSql, upsertStatsSql, type Literal } from './log-sql.js';
import type { LogRow } from './log-row.js';
import { LookupPolicy } from './lookup-policy.js';
import { isDuplicateKey, isWriteRace } from './write-errors.js';

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
  private readonly lookups = new LookupPolicy();

  /** `db`'s literals build the big statements: bound parameters by the thousand cost Prisma more than MariaDB's rows. */
  constructor(
    private readonly db: PrismaWithLiterals,
    private readonly options: LogWriterOptions = {},
  ) {}

  /** Writes one batch; a request id seen before is skipped, so redelivered events never count twice. */
  async write(rows: readonly LogRow[]): Promise<WriteResult> {
    if (rows.length === 0) return { inserted: 0, duplicates: 0 };
    const retries = this.options.raceRetries ?? 3;
    let lookUp = this.lookups.lookUp;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const { stored, ...result } = await this.db.prisma.$transaction((tx) => writeIn(tx, this.db.literal, rows, lookUp), {
          maxWait: 5_000,
          timeout: this.options.transactionTimeoutMs ?? 15_000,
        });
        if (stored !== undefined) this.lookups.lookedUp(stored);
        return result;
      } catch (error) {
        // The rollback undid everything; the next attempt looks up what is stored (by us before, or by a
        // consumer that raced us) and leaves it out.
        if (!lookUp && isDuplicateKey(error)) this.lookups.insertHitStoredId();
        else if (attempt >= retries || !isWriteRace(error)) throw error;
        lookUp = true;
      }
    }
  }
}

/** One attempt, in one transaction; `stored` is how many ids the lookup found, when there was one. */
async function writeIn(
  tx: Prisma.TransactionClient,
  literal: Literal,
  rows: readonly LogRow[],
  lookUp: boolean,
): Promise<WriteResult & { stored: number | undefined }> {
  const stored = lookUp
    ? (await tx.$queryRawUnsafe<{ request_id: string }[]>(selectStoredIdsSql(rows.map((row) => row.requestId), literal))).map(
        (row) => row.request_id,
      )
    : [];
  // Repeats within the batch go either way; without a lookup, a stored id fails the INSERT.
  const fresh = freshRows(rows, stored);
  if (fresh.length > 0) {
    for (const statement of insertLogsSql(fresh, literal)) await tx.$executeRawUnsafe(statement);
    const proxyRollups = dailyRollups(fresh, 'proxyId');
    if (proxyRollups.length > 0) await tx.$executeRaw(upsertStatsSql('proxy_stats', proxyRollups));
    const accountRollups = dailyRollups(fresh, 'accountId');
    if (accountRollups.length > 0) await tx.$executeRaw(upsertStatsSql('account_stats', accountRollups));
    const usage = accountUsage(fresh);
    if (usage.length > 0) await tx.$executeRaw(bumpAccountsSql(usage));
    // Once per batch, never per event: api_keys.last_used_at for the keys in it.
    const keys = keyLastUse(fresh);
    if (keys.length > 0) await tx.$executeRaw(touchKeysSql(keys));
  }
  return { inserted: fresh.length, duplicates: rows.length - fresh.length, stored: lookUp ? stored.length : undefined };
}
