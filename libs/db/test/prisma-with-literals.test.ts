import { createConnection } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDriverConfig, parseDatabaseUrl } from '../src/database-url.js';
import {
  BACKSLASH_ESCAPES_SQL,
  createPrismaWithLiterals,
  createTestDatabase,
  type PrismaWithLiterals,
  type TestDatabase,
} from '../src/index.js';

// Strings that break naive quoting: quotes, backslashes before quotes, NUL and control characters, the
// driver's own placeholder, comment starts, an attempt to end the statement, and characters beyond the BMP.
const HOSTILE = [
  "'",
  "''",
  '\\',
  "\\'",
  "\\\\'",
  'ends with a backslash\\',
  '"double" `back`',
  '\0nul\0',
  '\n\r\t\b\x1a',
  "'); DROP TABLE request_logs; --",
  "x' OR '1'='1",
  '? and ?? and :name and $1',
  '/* not a comment */ -- nor this # nor that',
  '%_ LIKE wildcards',
  'ünïcödé 漢字 😀 \u{10FFFF}',
  '\u2028\u2029\uFEFF',
];

describe('createPrismaWithLiterals', () => {
  let db: TestDatabase;
  let client: PrismaWithLiterals;

  beforeAll(async () => {
    db = await createTestDatabase('aigw_db_literals');
    client = createPrismaWithLiterals(db.url, { connectionLimit: 2 });
    await client.prisma.$connect();
  });

  afterAll(async () => {
    await client?.prisma.$disconnect();
    await db?.drop();
  });

  it('stores hostile strings exactly as given when they are spliced in as literals', async () => {
    const { prisma, literal } = client;
    const values = HOSTILE.map(
      (text, i) =>
        `(${literal(`id-${i}`)}, ${literal(text)}, ${literal(200)}, ${literal(i)}, ${literal('openai')}, ${literal(text)}, ${literal(null)}, ${literal(true)}, ${literal('2026-01-02 03:04:05.678')}, ${literal('2026-01-02 03:04:05.678')})`,
    );
    const inserted = await prisma.$executeRawUnsafe(
      `INSERT INTO request_logs (request_id, model, status_code, latency_ms, client_format, dropped_fields, error_class, is_stream, started_at, created_at) VALUES ${values.join(', ')}`,
    );
    expect(inserted).toBe(HOSTILE.length);

    const rows = await prisma.requestLog.findMany({ orderBy: { latencyMs: 'asc' } });
    expect(rows.map((row) => row.model)).toEqual(HOSTILE);
    expect(rows.map((row) => row.droppedFields)).toEqual(HOSTILE);
    expect(rows.every((row) => row.errorClass === null && row.isStream && row.statusCode === 200)).toBe(true);
    // Still there: nothing in the values ended the statement.
    expect(await prisma.requestLog.count()).toBe(HOSTILE.length);
  });

  it('quotes only once connected, since it is the pool that quotes', () => {
    const unconnected = createPrismaWithLiterals(db.url);
    expect(() => unconnected.literal('a')).toThrow(/connected/);
  });

  it('quotes each kind of value, and refuses numbers that are not finite', () => {
    const { literal } = client;
    expect([literal(null), literal(false), literal(42), literal(-1.5), literal('a')]).toEqual(['NULL', 'false', '42', '-1.5', "'a'"]);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => literal(bad)).toThrow(TypeError);
    }
  });

  it('uses sessions with backslash escapes even when NO_BACKSLASH_ESCAPES was on', async () => {
    const [row] = await client.prisma.$queryRawUnsafe<{ mode: string }[]>('SELECT @@SESSION.sql_mode AS mode');
    expect(row?.mode).not.toMatch(/NO_BACKSLASH_ESCAPES/);

    // A server configured with NO_BACKSLASH_ESCAPES, simulated in one session: the setting clears it.
    const conn = await createConnection(toDriverConfig(parseDatabaseUrl(db.url)));
    try {
      await conn.query("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES'");
      const quoted = client.literal("\\'); SELECT 1; --");
      // Under NO_BACKSLASH_ESCAPES the same literal would not mean the same string.
      const misread = await conn.query(`SELECT ${quoted} AS v`).then(
        (rows: { v: string }[]) => rows[0]?.v,
        (error: Error) => error.message,
      );
      expect(misread).not.toBe("\\'); SELECT 1; --");
      await conn.query(BACKSLASH_ESCAPES_SQL);
      expect(((await conn.query('SELECT @@SESSION.sql_mode AS m')) as { m: string }[])[0]?.m).toBe('STRICT_TRANS_TABLES');
      expect(((await conn.query(`SELECT ${quoted} AS v`)) as { v: string }[])[0]?.v).toBe("\\'); SELECT 1; --");
    } finally {
      await conn.end();
    }
  });
});
