import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createPrisma, createTestDatabase, Prisma, type PrismaClient, type TestDatabase } from '../src/index.js';

describe('createPrisma', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase('aigw_db_test');
    prisma = createPrisma(db.url, { connectionLimit: 2 });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('writes and reads a provider with its account', async () => {
    const provider = await prisma.provider.create({
      data: {
        name: 'openai',
        kind: 'openai',
        baseUrl: 'https://api.openai.com',
        accounts: { create: { label: 'main', authType: 'api_key', authData: 'ciphertext' } },
      },
    });

    const account = await prisma.account.findFirstOrThrow({
      where: { providerId: provider.id },
      include: { provider: true },
    });
    expect(account).toMatchObject({
      label: 'main',
      authType: 'api_key',
      authData: 'ciphertext',
      isActive: true,
      usageCount: 0,
      proxyId: null,
      provider: { name: 'openai', baseUrl: 'https://api.openai.com' },
    });
    expect(account.createdAt).toBeInstanceOf(Date);
  });

  it('inserts many rows in one statement with $executeRaw and Prisma.join', async () => {
    const startedAt = new Date('2026-01-02T03:04:05.678Z');
    const rows = ['r1', 'r2', 'r3'].map((requestId, i) => ({ requestId, statusCode: 200 + i, latencyMs: 10 * i }));
    const values = rows.map(
      (row) =>
        Prisma.sql`(${row.requestId}, ${'gpt-4o'}, ${row.statusCode}, ${row.latencyMs}, ${'openai'}, ${startedAt}, ${startedAt})`,
    );

    const inserted = await prisma.$executeRaw`
      INSERT INTO request_logs (request_id, model, status_code, latency_ms, client_format, started_at, created_at)
      VALUES ${Prisma.join(values)}`;

    expect(inserted).toBe(3);
    const logs = await prisma.requestLog.findMany({ orderBy: { requestId: 'asc' } });
    expect(logs.map((log) => [log.requestId, log.statusCode, log.latencyMs])).toEqual([
      ['r1', 200, 0],
      ['r2', 201, 10],
      ['r3', 202, 20],
    ]);
    expect(logs[0]).toMatchObject({ inputTokens: 0, attempts: 1, isStream: false, startedAt });
    expect(typeof logs[0]?.id).toBe('bigint');
  });

  it('connects over TLS when DATABASE_URL requires it, and never falls back to plain text', async () => {
    const tlsUrl = `${db.url}?sslmode=REQUIRED`;
    const [haveSsl] = await prisma.$queryRaw<Array<{ Value: string }>>`SHOW VARIABLES LIKE 'have_ssl'`;
    const tlsPrisma = createPrisma(tlsUrl, { connectionLimit: 1, acquireTimeoutMs: 1_500 });
    try {
      const cipher = () => tlsPrisma.$queryRaw<Array<{ Value: string }>>`SHOW SESSION STATUS LIKE 'Ssl_cipher'`;
      const migrated = () => applyMigrations(tlsUrl, { logger: { info: () => undefined, warn: () => undefined } });
      if (haveSsl?.Value === 'YES') {
        expect((await cipher())[0]?.Value).not.toBe('');
        expect(await migrated()).toEqual([]);
      } else {
        // This server has TLS off (the local MariaDB): the required TLS is refused instead of skipped. The pool
        // hides the driver's reason; the migrator's direct connection shows it.
        await expect(cipher()).rejects.toThrow(/pool timeout/);
        await expect(migrated()).rejects.toThrow(/ssl not enabled in the server/);
      }
    } finally {
      await tlsPrisma.$disconnect();
    }
  });
});
