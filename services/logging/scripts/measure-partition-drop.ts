// Measures retention on a day-partitioned request_logs (not a test: numbers vary by machine). In a scratch
// database of its own: partitions 30 days back and 7 ahead, fills ROWS rows spread evenly over the 30 days
// (doubling INSERT … SELECT, never row by row; the secondary indexes are dropped for the fill and rebuilt
// before measuring, so the table measured has every index the schema declares), then, while an inserter writes
// one row at a time into today's partition, drops the oldest day's partition. Reports the drop's time and the
// inserter's longest insert before and around the drop. Drops the scratch database at the end.
// Run: nice node --conditions=aigw-source --import tsx services/logging/scripts/measure-partition-drop.ts [rows] [fillSeconds]
import { createPrisma, createTestDatabase } from '@aigw/db';
import { partitionName, utcDay } from '../src/retention/partition-plan.js';

const target = Number(process.argv[2] ?? 10_000_000);
// The fill stops at this budget if the machine is slower than that, and the report says how many rows it holds.
const fillBudgetMs = Number(process.argv[3] ?? 420) * 1000;
const DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;
const SEED = 30_000;
const CHUNK = 1_000_000;

const db = await createTestDatabase('aigw_partition_bench');
const prisma = createPrisma(db.url, { connectionLimit: 2 });
const inserterDb = createPrisma(db.url, { connectionLimit: 1 });
const log = (message: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const now = Date.now();
const day = (offset: number): string => utcDay(now + offset * DAY_MS);

try {
  // Days today − 30 … today + 7, and pmax (the table is empty: instant).
  const days = Array.from({ length: DAYS + 8 }, (_, i) => day(i - DAYS));
  await prisma.$executeRawUnsafe(
    `ALTER TABLE request_logs PARTITION BY RANGE COLUMNS(created_at) (${days
      .map((d) => `PARTITION ${partitionName(d)} VALUES LESS THAN ('${utcDay(Date.parse(`${d}T00:00:00Z`) + DAY_MS)}')`)
      .join(', ')}, PARTITION pmax VALUES LESS THAN (MAXVALUE))`,
  );

  const indexes = await prisma.$queryRawUnsafe<{ name: string; nonUnique: number | bigint; columns: string }[]>(
    `SELECT INDEX_NAME AS name, MAX(NON_UNIQUE) AS nonUnique, GROUP_CONCAT(CONCAT('\`', COLUMN_NAME, '\`') ORDER BY SEQ_IN_INDEX) AS columns
     FROM INFORMATION_SCHEMA.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'request_logs' AND INDEX_NAME <> 'PRIMARY'
     GROUP BY INDEX_NAME`,
  );
  await prisma.$executeRawUnsafe(`ALTER TABLE request_logs ${indexes.map((i) => `DROP INDEX \`${i.name}\``).join(', ')}`);

  const fillStarted = Date.now();
  const cols = 'request_id, model, provider_id, account_id, proxy_id, api_key_id, status_code, input_tokens, output_tokens, latency_ms, client_format, started_at, created_at';
  const seed = Array.from({ length: SEED }, (_, i) => {
    const at = new Date(Date.parse(`${day(-DAYS + (i % DAYS))}T00:00:00Z`) + Math.floor(Math.random() * DAY_MS)).toISOString().slice(0, 23).replace('T', ' ');
    return `('s${i}', 'gpt-4o', ${1 + (i % 3)}, ${1 + (i % 7)}, ${1 + (i % 5)}, ${1 + (i % 11)}, 200, ${i % 900}, ${i % 300}, ${10 + (i % 500)}, 'openai', '${at}', '${at}')`;
  });
  await prisma.$executeRawUnsafe(`INSERT INTO request_logs (${cols}) VALUES ${seed.join(', ')}`);
  let rows = SEED;
  let round = 0;
  while (rows < target && Date.now() - fillStarted < fillBudgetMs) {
    round += 1;
    const [{ maxId } = { maxId: 0 }] = await prisma.$queryRawUnsafe<{ maxId: bigint | number }[]>('SELECT MAX(id) AS maxId FROM request_logs');
    for (let from = 0; from < Number(maxId) && rows < target && Date.now() - fillStarted < fillBudgetMs; from += CHUNK) {
      // Same days, new times in them; request ids unique by (id, round).
      rows += await prisma.$executeRawUnsafe(
        `INSERT INTO request_logs (${cols})
         SELECT CONCAT('r', id, '-', ${round}), model, provider_id, account_id, proxy_id, api_key_id, status_code, input_tokens, output_tokens, latency_ms, client_format,
                started_at, TIMESTAMP(DATE(created_at)) + INTERVAL FLOOR(RAND() * 86399999) * 1000 MICROSECOND
         FROM request_logs WHERE id > ${from} AND id <= ${from + CHUNK} LIMIT ${target - rows}`,
      );
    }
    log(`filled ${rows.toLocaleString('en')} rows`);
  }
  const fillS = (Date.now() - fillStarted) / 1000;
  log(`rebuilding ${indexes.length} secondary indexes`);
  const indexStarted = Date.now();
  await prisma.$executeRawUnsafe(
    `ALTER TABLE request_logs ${indexes.map((i) => `ADD ${Number(i.nonUnique) === 0 ? 'UNIQUE ' : ''}INDEX \`${i.name}\` (${i.columns})`).join(', ')}`,
  );
  const indexS = (Date.now() - indexStarted) / 1000;
  const victim = partitionName(day(-DAYS));
  const [{ n: victimRows } = { n: 0 }] = await prisma.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT COUNT(*) AS n FROM request_logs PARTITION (${victim})`);
  log(`${rows.toLocaleString('en')} rows in ${fillS.toFixed(0)} s, indexes in ${indexS.toFixed(0)} s; dropping ${victim} (${Number(victimRows).toLocaleString('en')} rows)`);

  // The inserter: one row per statement, autocommit, into today's partition, timing each.
  const samples: { at: number; ms: number }[] = [];
  let running = true;
  let seq = 0;
  const inserter = (async () => {
    while (running) {
      const started = performance.now();
      const at = new Date().toISOString().slice(0, 23).replace('T', ' ');
      await inserterDb.$executeRawUnsafe(
        `INSERT INTO request_logs (${cols}) VALUES ('live-${(seq += 1)}', 'gpt-4o', 1, 1, 1, 1, 200, 1, 1, 10, 'openai', '${at}', '${at}')`,
      );
      samples.push({ at: started, ms: performance.now() - started });
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const dropStart = performance.now();
  await prisma.$executeRawUnsafe(`ALTER TABLE request_logs DROP PARTITION ${victim}`);
  const dropEnd = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  running = false;
  await inserter;

  const before = samples.filter((s) => s.at < dropStart);
  const around = samples.filter((s) => s.at + s.ms >= dropStart && s.at <= dropEnd);
  const max = (list: typeof samples): number => Math.max(0, ...list.map((s) => s.ms));
  const [{ n: left } = { n: 0 }] = await prisma.$queryRawUnsafe<{ n: bigint | number }[]>('SELECT COUNT(*) AS n FROM request_logs');
  console.log(
    JSON.stringify(
      {
        rows,
        targetRows: target,
        fillSeconds: Math.round(fillS),
        indexBuildSeconds: Math.round(indexS),
        droppedPartition: victim,
        droppedRows: Number(victimRows),
        dropMs: Math.round(dropEnd - dropStart),
        inserts: samples.length,
        insertMaxMsBeforeDrop: Math.round(max(before)),
        insertMaxMsDuringDrop: Math.round(max(around)),
        insertsDuringDrop: around.length,
        rowsAfter: Number(left),
      },
      null,
      2,
    ),
  );
} finally {
  await prisma.$disconnect();
  await inserterDb.$disconnect();
  await db.drop();
}
