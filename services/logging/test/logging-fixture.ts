import { randomUUID } from 'node:crypto';
import { busNames, connectBus, deleteLogStream, ensureLogStream, type BusNames, type NatsConnection } from '@aigw/bus';
import { createPrisma, createPrismaWithLiterals, createTestDatabase, type PrismaClient, type PrismaWithLiterals, type TestDatabase } from '@aigw/db';
import { createLogger, type Logger } from '@aigw/logger';
import { ClientFormat, RequestLogEvent } from '@aigw/proto';
import { createServer, type LoggingServer, type LoggingServerDeps } from '../src/server.js';

export const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const DAY_MS = 24 * 3600 * 1000;

/** One test file's world: its own database, stream and subject prefix, and a few accounts and proxies. */
export interface LoggingFixture {
  db: TestDatabase;
  prisma: PrismaClient;
  /** The service's kind of client, on the same database. */
  writerDb: PrismaWithLiterals;
  nc: NatsConnection;
  names: BusNames;
  subjectPrefix: string;
  accountIds: number[];
  proxyIds: number[];
  logger: Logger;
  close(): Promise<void>;
}

export async function createLoggingFixture(): Promise<LoggingFixture> {
  const suffix = randomUUID().slice(0, 8);
  const subjectPrefix = `test-logging-${suffix}`;
  const names = busNames(subjectPrefix, `TEST_LOGGING_${suffix}`);
  const db = await createTestDatabase('aigw_logging');
  const prisma = createPrisma(db.url);
  const writerDb = createPrismaWithLiterals(db.url, { connectionLimit: 4 });
  const nc = await connectBus(NATS_URL, 'logging-test');
  await ensureLogStream(nc, names);

  const provider = await prisma.provider.create({ data: { name: 'openai', kind: 'openai', baseUrl: 'http://127.0.0.1:1' } });
  const proxyIds: number[] = [];
  for (const label of ['p1', 'p2']) {
    proxyIds.push((await prisma.proxy.create({ data: { label, proxyUrl: `http://${label}.test:3128` } })).id);
  }
  const accountIds: number[] = [];
  for (const label of ['a1', 'a2', 'a3']) {
    accountIds.push((await prisma.account.create({ data: { providerId: provider.id, label, authType: 'api_key', authData: 'x' } })).id);
  }
  return {
    db,
    prisma,
    writerDb,
    nc,
    names,
    subjectPrefix,
    accountIds,
    proxyIds,
    logger: createLogger({ service: 'logging-test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    async close() {
      await deleteLogStream(nc, names).catch(() => undefined);
      await nc.drain().catch(() => undefined);
      await prisma.$disconnect();
      await writerDb.prisma.$disconnect();
      await db.drop();
    },
  };
}

/** Starts a logging server on the fixture's stream with quick test timings; `deps.db` may point elsewhere. */
export async function startLogging(
  fixture: LoggingFixture,
  overrides: Partial<LoggingServerDeps['config']> = {},
  deps: Partial<Omit<LoggingServerDeps, 'config'>> = {},
): Promise<LoggingServer> {
  const server = createServer({
    nc: fixture.nc,
    db: fixture.writerDb,
    names: fixture.names,
    logger: fixture.logger,
    config: {
      BATCH_MAX: 200,
      BATCH_WAIT_MS: 20,
      WRITE_CONCURRENCY: 2,
      ACK_WAIT_MS: 30_000,
      RETRY_MIN_MS: 50,
      RETRY_MAX_MS: 500,
      RETENTION_DAYS: 0,
      RETENTION_INTERVAL_MS: 3_600_000,
      PARTITIONS_AHEAD_DAYS: 7,
      ...overrides,
    },
    ...deps,
  });
  await server.start();
  return server;
}

/** Deterministic event `i`: spread over accounts, proxies (some direct), two UTC days and a few statuses. */
export function makeEvent(fixture: LoggingFixture, i: number, requestId = `req-${i}-${fixture.subjectPrefix}`): RequestLogEvent {
  const finishedAtMs = Date.now() - (i % 2) * DAY_MS;
  return RequestLogEvent.fromPartial({
    requestId,
    apiKeyId: 1,
    providerId: 1,
    model: 'gpt-4o',
    upstreamModel: 'gpt-4o',
    accountId: fixture.accountIds[i % fixture.accountIds.length]!,
    proxyId: i % 5 === 0 ? 0 : fixture.proxyIds[i % fixture.proxyIds.length]!,
    statusCode: [200, 200, 429, 200, 502, 200, 400][i % 7]!,
    usage: { inputTokens: i % 13, outputTokens: i % 17, cachedInputTokens: 0 },
    latencyMs: 10 + (i % 91),
    upstreamLatencyMs: 5 + (i % 91),
    errorClass: '',
    stream: i % 3 === 0,
    attempts: 1 + (i % 2),
    clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI,
    // none, hit, new binding, rebound in turn
    affinity: i % 4,
    startedAtMs: finishedAtMs - 10 - (i % 91),
    finishedAtMs,
  });
}

/** Polls `probe` until it returns true; the test timeout bounds the wait. */
export async function eventually(probe: () => Promise<boolean>, intervalMs = 50): Promise<void> {
  while (!(await probe())) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

export async function countLogs(prisma: PrismaClient): Promise<number> {
  return prisma.requestLog.count();
}

/** Consumer state on the server: events not yet delivered and delivered but not acknowledged. */
export async function consumerBacklog(fixture: LoggingFixture): Promise<{ pending: number; ackPending: number }> {
  const jsm = await fixture.nc.jetstreamManager();
  const info = await jsm.consumers.info(fixture.names.logStream, fixture.names.logConsumer);
  return { pending: info.num_pending, ackPending: info.num_ack_pending };
}

interface Totals {
  requests: number;
  successes: number;
  failures: number;
  totalLatencyMs: number;
  avgLatencyMs: number;
  inputTokens: number;
  outputTokens: number;
}

/** The daily totals `events` should produce, computed here independently of the service's code. */
export function expectedStats(events: RequestLogEvent[], by: 'proxyId' | 'accountId'): Map<string, Totals> {
  const totals = new Map<string, Totals>();
  for (const event of events) {
    const id = event[by];
    if (id === 0) continue;
    const key = `${id}|${new Date(event.finishedAtMs).toISOString().slice(0, 10)}`;
    const t = totals.get(key) ?? { requests: 0, successes: 0, failures: 0, totalLatencyMs: 0, avgLatencyMs: 0, inputTokens: 0, outputTokens: 0 };
    t.requests += 1;
    if (event.statusCode < 400) t.successes += 1;
    else t.failures += 1;
    t.totalLatencyMs += event.latencyMs;
    t.inputTokens += event.usage?.inputTokens ?? 0;
    t.outputTokens += event.usage?.outputTokens ?? 0;
    t.avgLatencyMs = Math.round(t.totalLatencyMs / t.requests);
    totals.set(key, t);
  }
  return totals;
}

/** The stored daily totals of a stats table, in the shape of expectedStats. */
export async function storedStats(prisma: PrismaClient, table: 'proxy' | 'account'): Promise<Map<string, Totals>> {
  const rows =
    table === 'proxy'
      ? (await prisma.proxyStat.findMany()).map((r) => ({ ...r, id: r.proxyId }))
      : (await prisma.accountStat.findMany()).map((r) => ({ ...r, id: r.accountId }));
  return new Map(
    rows.map((r) => [
      `${r.id}|${r.day.toISOString().slice(0, 10)}`,
      {
        requests: r.requests,
        successes: r.successes,
        failures: r.failures,
        totalLatencyMs: Number(r.totalLatencyMs),
        avgLatencyMs: r.avgLatencyMs,
        inputTokens: Number(r.inputTokens),
        outputTokens: Number(r.outputTokens),
      },
    ]),
  );
}
