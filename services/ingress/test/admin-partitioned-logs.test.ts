import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@aigw/db';
import { ADMIN_TOKEN } from './support/fake-deps.js';
import { startDbServer, type DbServer } from './support/db-server.js';

// The admin queries over request_logs answer the same on today's table and on the day-partitioned one
// (migration 20261207190000_request_logs_partitions), data moved by the migration itself.
const DAY_MS = 24 * 3600 * 1000;
let server: DbServer;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const get = async (path: string): Promise<unknown> => {
  const res = await request(server.app).get(`/api/v1${path}`).set(admin);
  expect(res.status, path).toBe(200);
  return res.body;
};
let keyId: number;

beforeAll(async () => {
  server = await startDbServer({}, {}, { before: '20261207190000_request_logs_partitions' });
  await request(server.app).post('/api/v1/providers').set(admin).send({ name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.example' }).expect(201);
  const provider = await server.prisma.provider.findFirstOrThrow();
  const account = await server.prisma.account.create({ data: { providerId: provider.id, label: 'a', authType: 'api_key', authData: 'x' } });
  keyId = ((await request(server.app).post('/api/v1/keys').set(admin).send({ name: 'partitioned' })).body as { id: number }).id;
  const now = Date.now();
  await server.prisma.requestLog.createMany({
    data: Array.from({ length: 120 }, (_, i) => {
      const createdAt = new Date(now - (i % 12) * DAY_MS - i * 61_000);
      return {
        requestId: `part-${i}`,
        clientRequestId: i % 10 === 0 ? 'client-shared' : null,
        apiKeyId: i % 3 === 0 ? null : keyId,
        providerId: provider.id,
        accountId: i % 2 === 0 ? account.id : null,
        model: ['gpt-4o', 'gpt-4o-mini', 'o3'][i % 3]!,
        statusCode: [200, 200, 429, 502, 200][i % 5]!,
        inputTokens: 100 + i,
        outputTokens: i,
        cachedTokens: i % 4,
        costMicroUsd: i % 7 === 0 ? null : BigInt(1000 * i),
        latencyMs: 10 + i,
        errorClass: i % 5 === 3 ? 'upstream_5xx' : null,
        clientFormat: 'openai',
        startedAt: createdAt,
        createdAt,
      };
    }),
  });
});

afterAll(async () => {
  await server?.close();
});

const PATHS = [
  '/stats/logs?limit=1000',
  '/stats/logs?limit=7&status=error',
  '/stats/logs?clientRequestId=client-shared',
  '/stats/logs/part-17',
  '/stats/usage?by=key&days=30',
  '/stats/usage?by=model&days=7',
  '/stats/usage?by=account',
  '/stats/usage?by=provider',
];
// Fixed windows: without from/to, the window is "now", which moves between the two calls.
const TO = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000).toISOString();
const FROM_DAYS = new Date(Date.parse(TO) - 14 * DAY_MS).toISOString();
const FROM_HOURS = new Date(Date.parse(TO) - 2 * DAY_MS).toISOString();

describe('admin queries over request_logs', () => {
  it('answer the same before and after the table is partitioned by day', async () => {
    const paths = [
      ...PATHS,
      `/keys/${keyId}/usage?days=30`,
      `/stats/timeseries?bucket=day&by=model&from=${FROM_DAYS}&to=${TO}`,
      `/stats/timeseries?bucket=hour&by=key&from=${FROM_HOURS}&to=${TO}`,
    ];
    const before = await Promise.all(paths.map(get));
    expect((before[0] as { data: unknown[] }).data).toHaveLength(120);
    await applyMigrations(server.db.url);
    const [partitions] = await server.prisma.$queryRawUnsafe<{ n: bigint | number }[]>(
      "SELECT COUNT(*) AS n FROM INFORMATION_SCHEMA.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'request_logs'",
    );
    expect(Number(partitions?.n)).toBeGreaterThan(12);
    const after = await Promise.all(paths.map(get));
    for (const [i, path] of paths.entries()) expect(after[i], path).toEqual(before[i]);
  });
});
