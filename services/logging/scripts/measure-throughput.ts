// Measures how fast one logging consumer drains a backlog into MariaDB (not a test: numbers vary by machine).
// Run: node --conditions=aigw-source --import tsx services/logging/scripts/measure-throughput.ts [events] [batchMax] [writeConcurrency]
import { randomUUID } from 'node:crypto';
import { busNames, connectBus, deleteLogStream, ensureLogStream, LogPublisher } from '@aigw/bus';
import { createPrisma, createTestDatabase } from '@aigw/db';
import { createLogger } from '@aigw/logger';
import { ClientFormat, RequestLogEvent } from '@aigw/proto';
import { LogWriter } from '../src/ingest/log-writer.js';
import { toLogRow } from '../src/ingest/log-row.js';
import { createServer } from '../src/server.js';

const total = Number(process.argv[2] ?? 100_000);
const batchMax = Number(process.argv[3] ?? 1_000);
const concurrency = Number(process.argv[4] ?? 2);
const suffix = randomUUID().slice(0, 8);
const names = busNames(`bench-logging-${suffix}`, `BENCH_LOGGING_${suffix}`);
const db = await createTestDatabase('aigw_logging_bench');
const prisma = createPrisma(db.url, { connectionLimit: 4 });
const nc = await connectBus(process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222', 'logging-bench');

function event(i: number): RequestLogEvent {
  const now = Date.now();
  return RequestLogEvent.fromPartial({
    requestId: `${suffix}-${i}`,
    apiKeyId: 1 + (i % 5),
    providerId: 1 + (i % 3),
    model: 'gpt-4o-mini',
    upstreamModel: 'gpt-4o-mini-2024-07-18',
    accountId: 1 + (i % 50),
    proxyId: i % 4 === 0 ? 0 : 1 + (i % 10),
    statusCode: i % 20 === 0 ? 429 : 200,
    usage: { inputTokens: 100 + (i % 50), outputTokens: 200 + (i % 70), cachedInputTokens: 0 },
    latencyMs: 300 + (i % 100),
    upstreamLatencyMs: 295 + (i % 100),
    stream: i % 2 === 0,
    attempts: 1,
    clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI,
    startedAtMs: now - 400,
    finishedAtMs: now,
  });
}

try {
  // 1. The writer alone: batches of batchMax rows straight into MariaDB.
  const writer = new LogWriter(prisma);
  const rows = Array.from({ length: 20 * batchMax }, (_, i) => toLogRow(event(total + i), Date.now()));
  let started = performance.now();
  for (let i = 0; i < rows.length; i += batchMax) await writer.write(rows.slice(i, i + batchMax));
  let seconds = (performance.now() - started) / 1000;
  console.log(`writer only: ${rows.length} rows in ${seconds.toFixed(2)} s = ${Math.round(rows.length / seconds)} rows/s`);
  const base = await prisma.requestLog.count();

  // 2. The whole consumer draining a backlog already in JetStream.
  await ensureLogStream(nc, names);
  const publisher = new LogPublisher(nc, names, { maxInFlight: 512 });
  for (let i = 0; i < total; i += 1) publisher.publish(event(i));
  if (!(await publisher.flush(300_000))) throw new Error('publish did not finish');
  const server = createServer({
    nc,
    prisma,
    names,
    logger: createLogger({ service: 'logging-bench', level: 'warn' }),
    config: {
      BATCH_MAX: batchMax,
      BATCH_WAIT_MS: 200,
      WRITE_CONCURRENCY: concurrency,
      ACK_WAIT_MS: 30_000,
      RETRY_MIN_MS: 500,
      RETRY_MAX_MS: 10_000,
      RETENTION_DAYS: 0,
      RETENTION_INTERVAL_MS: 3_600_000,
      RETENTION_CHUNK_ROWS: 5_000,
    },
  });
  started = performance.now();
  const cpuBefore = process.cpuUsage();
  await server.start();
  while ((await prisma.requestLog.count()) < base + total) await new Promise((resolve) => setTimeout(resolve, 50));
  seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(`consumer (batch ${batchMax}, ${concurrency} writers): ${total} events from JetStream to MariaDB in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} events/s`);
  console.log(`consumer process CPU: ${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(0)}% of one core`);
  await server.stop();
} finally {
  await deleteLogStream(nc, names);
  await nc.drain();
  await prisma.$disconnect();
  await db.drop();
}
