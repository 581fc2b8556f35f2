import { randomUUID } from 'node:crypto';
import { applyMigrations, createPrisma, createPrismaWithLiterals, createTestDatabase, type PrismaClient, type TestDatabase } from '@aigw/db';
import { createLogger } from '@aigw/logger';
import { RequestLogEvent } from '@aigw/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogWriter } from '../src/ingest/log-writer.js';
import { toLogRow } from '../src/ingest/log-row.js';
import { utcDay } from '../src/retention/partition-plan.js';
import { RetentionJob } from '../src/retention/retention-job.js';

const DAY_MS = 24 * 3600 * 1000;
const PARTITION_MIGRATION = '20261207190000_request_logs_partitions';
const logger = createLogger({ service: 'logging-test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
// Noon UTC, so that "n days ago" is one calendar day per n whatever the hour the test runs.
const NOW = Date.parse(`${utcDay(Date.now())}T12:00:00Z`);
const AGES = [45, 44, 31, 30, 29, 10, 1, 0];
const PER_DAY = 25;

let db: TestDatabase;
let prisma: PrismaClient;

/** Rows per partition, counted exactly with PARTITION (name) selection (TABLE_ROWS is an estimate). */
async function countsByPartition(): Promise<Record<string, number>> {
  const names = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT PARTITION_NAME AS name FROM INFORMATION_SCHEMA.PARTITIONS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'request_logs' ORDER BY PARTITION_ORDINAL_POSITION`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of names) {
    const [row] = await prisma.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT COUNT(*) AS n FROM request_logs PARTITION (${name})`);
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

const pname = (ms: number): string => `p${utcDay(ms).replaceAll('-', '')}`;

beforeAll(async () => {
  db = await createTestDatabase('aigw_partitions', { before: PARTITION_MIGRATION });
  prisma = createPrisma(db.url);
  // Today's table, not partitioned yet, with rows on several days (the migration must keep every one).
  await prisma.$executeRawUnsafe(
    `INSERT INTO request_logs (request_id, model, status_code, latency_ms, client_format, started_at, created_at) VALUES ${AGES.flatMap((age) =>
      Array.from({ length: PER_DAY }, (_, i) => {
        const at = new Date(NOW - age * DAY_MS + i * 60_000).toISOString().slice(0, 23).replace('T', ' ');
        return `('old-${age}-${i}', 'm', 200, 5, 'openai', '${at}', '${at}')`;
      }),
    ).join(', ')}`,
  );
  await applyMigrations(db.url);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe('request_logs partitioned by day', () => {
  it('the migration keeps every row and puts each in its own day, from the oldest day to 7 days ahead', async () => {
    const counts = await countsByPartition();
    const names = Object.keys(counts);
    expect(names[0]).toBe(pname(NOW - 45 * DAY_MS));
    expect(names.at(-1)).toBe('pmax');
    expect(names.at(-2)).toBe(pname(Date.now() + 7 * DAY_MS));
    expect(names).toHaveLength(45 + 7 + 1 + 1);
    for (const age of AGES) expect(counts[pname(NOW - age * DAY_MS)]).toBe(PER_DAY);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(AGES.length * PER_DAY);
    expect(await prisma.requestLog.count()).toBe(AGES.length * PER_DAY);
  });

  it('stores a redelivered event once: its created_at is the event’s own, so (request_id, created_at) collides', async () => {
    const writerDb = createPrismaWithLiterals(db.url, { connectionLimit: 2 });
    try {
      const writer = new LogWriter(writerDb);
      const requestId = `redeliver-${randomUUID()}`;
      const event = RequestLogEvent.fromPartial({ requestId, model: 'm', statusCode: 200, latencyMs: 3, finishedAtMs: Date.now() - 2 * DAY_MS });
      // Each delivery is judged at its own time, from a different stream receive time.
      const delivery = (receivedAtMs: number) => toLogRow(event, { nowMs: Date.now(), receivedAtMs: () => receivedAtMs });
      expect(await writer.write([delivery(Date.now())])).toEqual({ inserted: 1, duplicates: 0 });
      expect(await writer.write([delivery(Date.now() + 5_000)])).toEqual({ inserted: 0, duplicates: 1 });
      expect(await writer.write([delivery(Date.now() + 9_000), delivery(Date.now())])).toEqual({ inserted: 0, duplicates: 2 });
      expect(await prisma.requestLog.count({ where: { requestId } })).toBe(1);
      // It landed in its own day's partition.
      const [row] = await prisma.$queryRawUnsafe<{ n: bigint | number }[]>(
        `SELECT COUNT(*) AS n FROM request_logs PARTITION (${pname(Date.now() - 2 * DAY_MS)}) WHERE request_id = '${requestId}'`,
      );
      expect(Number(row?.n)).toBe(1);
    } finally {
      await writerDb.prisma.$disconnect();
    }
  });

  it('maintenance makes the days ahead, and retention drops exactly the days past it, not one row more', async () => {
    const job = new RetentionJob(prisma, logger, { days: 30, intervalMs: 3_600_000, aheadDays: 9 });
    const before = await countsByPartition();
    const plan = await job.runOnce(NOW);
    // now − 30 days is noon 30 days ago: the 45th, 44th and 31st days ago ended before it; the 30th did not.
    expect(plan.drop.sort()).toEqual(
      Object.keys(before)
        .filter((name) => name !== 'pmax' && name < pname(NOW - 30 * DAY_MS))
        .sort(),
    );
    expect(plan.create.map((p) => p.name)).toEqual([pname(NOW + 8 * DAY_MS), pname(NOW + 9 * DAY_MS)]);
    const after = await countsByPartition();
    expect(Object.keys(after)[0]).toBe(pname(NOW - 30 * DAY_MS));
    expect(Object.keys(after).at(-2)).toBe(pname(NOW + 9 * DAY_MS));
    for (const age of [30, 29, 10, 1, 0]) expect(after[pname(NOW - age * DAY_MS)]).toBe(before[pname(NOW - age * DAY_MS)]);
    expect(await prisma.requestLog.count({ where: { createdAt: { lt: new Date(NOW - 31 * DAY_MS + DAY_MS / 2) } } })).toBe(0);
    expect(await prisma.requestLog.count()).toBe(Object.values(before).reduce((a, b) => a + b, 0) - 3 * PER_DAY);
    // A second round has nothing to do.
    expect(await job.runOnce(NOW)).toEqual({ create: [], drop: [] });
  });

  it('one replica at a time: a round that cannot take the lock does nothing', async () => {
    const holder = createPrisma(db.url);
    try {
      const job = new RetentionJob(prisma, logger, { days: 1, intervalMs: 3_600_000, aheadDays: 12 });
      const plan = await holder.$transaction(async (tx) => {
        const [{ name }] = await tx.$queryRawUnsafe<{ name: string }[]>(
          "SELECT CONCAT('aigw_log_partitions:', LEFT(SHA2(DATABASE(), 256), 40)) AS name",
        ) as [{ name: string }];
        await tx.$queryRawUnsafe('SELECT GET_LOCK(?, 0)', name);
        try {
          return await job.runOnce(NOW);
        } finally {
          await tx.$queryRawUnsafe('SELECT RELEASE_LOCK(?)', name);
        }
      });
      expect(plan).toEqual({ create: [], drop: [] });
      expect((await job.runOnce(NOW)).create.length).toBe(3);
    } finally {
      await holder.$disconnect();
    }
  });
});
