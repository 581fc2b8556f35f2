import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headers } from 'nats';
import { connectBus, LOG_KIND_BATCH, LOG_KIND_HEADER, LogPublisher } from '@aigw/bus';
import { createPrismaWithLiterals } from '@aigw/db';
import { Registry } from '@aigw/metrics';
import { RequestLogBatch, RequestLogEvent } from '@aigw/proto';
import { LogConsumer } from '../src/consumer/log-consumer.js';
import { LogWriter } from '../src/ingest/log-writer.js';
import { createLoggingMetrics } from '../src/observability/logging-metrics.js';
import type { LoggingServer } from '../src/server.js';
import {
  consumerBacklog,
  countLogs,
  createLoggingFixture,
  eventually,
  expectedStats,
  makeEvent,
  NATS_URL,
  startLogging,
  storedStats,
  type LoggingFixture,
} from './logging-fixture.js';
import { TcpSwitch } from '../../../test/faults/support/tcp-switch.js';

let fixture: LoggingFixture;
const running: LoggingServer[] = [];

beforeEach(async () => {
  fixture = await createLoggingFixture();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
  await fixture.close();
});

async function start(
  overrides?: Parameters<typeof startLogging>[1],
  deps?: Parameters<typeof startLogging>[2],
): Promise<LoggingServer> {
  const server = await startLogging(fixture, overrides, deps);
  running.push(server);
  return server;
}

async function publishAll(events: RequestLogEvent[]): Promise<void> {
  const publisher = new LogPublisher(fixture.nc, fixture.names, { maxInFlight: 64 });
  for (const event of events) publisher.publish(event);
  expect(await publisher.flush(30_000)).toBe(true);
}

/** Publishes without a message id, so JetStream keeps the copy and only the consumer can deduplicate it. */
async function publishRaw(payloads: Uint8Array[]): Promise<void> {
  const js = fixture.nc.jetstream();
  await Promise.all(payloads.map((payload) => js.publish(fixture.names.logSubject, payload)));
}

async function drained(): Promise<boolean> {
  const backlog = await consumerBacklog(fixture);
  return backlog.pending === 0 && backlog.ackPending === 0;
}

describe('logging consumer against NATS JetStream and MariaDB', () => {
  it('stores every event exactly once and rolls up matching daily stats, duplicates included', async () => {
    const events = Array.from({ length: 1_000 }, (_, i) => makeEvent(fixture, i));
    await start();
    // Republished through LogPublisher (deduplicated by JetStream) and raw copies that reach the consumer.
    await publishAll([...events, ...events.slice(0, 100)]);
    await publishRaw(events.slice(200, 450).map((event) => RequestLogEvent.encode(event).finish()));

    await eventually(async () => (await countLogs(fixture.prisma)) === 1_000 && (await drained()));
    const stored = await fixture.prisma.requestLog.findMany({ orderBy: { requestId: 'asc' } });
    expect(new Set(stored.map((row) => row.requestId)).size).toBe(1_000);

    expect(await storedStats(fixture.prisma, 'proxy')).toEqual(expectedStats(events, 'proxyId'));
    expect(await storedStats(fixture.prisma, 'account')).toEqual(expectedStats(events, 'accountId'));
    const accounts = await fixture.prisma.account.findMany({ orderBy: { id: 'asc' } });
    expect(accounts.map((a) => a.usageCount)).toEqual(
      fixture.accountIds.map((id) => events.filter((event) => event.accountId === id).length),
    );
    expect(accounts.every((a) => a.lastUsedAt !== null)).toBe(true);

    const sample = stored.find((row) => row.requestId === events[7]!.requestId)!;
    expect(sample).toMatchObject({
      model: 'gpt-4o',
      accountId: events[7]!.accountId,
      proxyId: events[7]!.proxyId,
      statusCode: events[7]!.statusCode,
      latencyMs: events[7]!.latencyMs,
      clientFormat: 'openai',
    });
    expect(sample.createdAt.getTime()).toBe(events[7]!.finishedAtMs);
  });

  it('terminates undecodable events without holding up the ones behind them', async () => {
    await start();
    const good = Array.from({ length: 50 }, (_, i) => makeEvent(fixture, i));
    await publishRaw([
      Uint8Array.from([0xff, 0xff, 0xff, 0xff]),
      RequestLogEvent.encode(RequestLogEvent.fromPartial({ model: 'no request id' })).finish(),
      ...good.map((event) => RequestLogEvent.encode(event).finish()),
      Uint8Array.from([0x0a, 0x80]),
    ]);
    await eventually(async () => (await countLogs(fixture.prisma)) === 50 && (await drained()));
    expect(await countLogs(fixture.prisma)).toBe(50);
  });

  it('reads RequestLogBatch messages beside bare events, skipping a bad event of a batch and terminating an undecodable batch', async () => {
    await start();
    const batchHeaders = () => {
      const h = headers();
      h.set(LOG_KIND_HEADER, LOG_KIND_BATCH);
      return h;
    };
    const events = Array.from({ length: 30 }, (_, i) => makeEvent(fixture, i));
    const js = fixture.nc.jetstream();
    await js.publish(
      fixture.names.logSubject,
      RequestLogBatch.encode({ events: [...events.slice(0, 20), RequestLogEvent.fromPartial({ model: 'no request id' })] }).finish(),
      { headers: batchHeaders() },
    );
    await js.publish(fixture.names.logSubject, Uint8Array.from([0x0a, 0x80]), { headers: batchHeaders() });
    await publishRaw(events.slice(20).map((event) => RequestLogEvent.encode(event).finish()));
    await eventually(async () => (await countLogs(fixture.prisma)) === 30 && (await drained()));
    expect(await countLogs(fixture.prisma)).toBe(30);
  });

  it('isolates and skips an event the database refuses, storing the rest of its batch', async () => {
    const events = Array.from({ length: 300 }, (_, i) => makeEvent(fixture, i));
    const poison = events[137]!.requestId;
    const realWriter = new LogWriter(fixture.writerDb);
    // Simulates a value toLogRow failed to fit: MariaDB's strict mode refuses it with "Data too long".
    const writer = {
      write: (rows: Parameters<LogWriter['write']>[0]) =>
        realWriter.write(rows.map((row) => (row.requestId === poison ? { ...row, model: 'x'.repeat(300) } : row))),
    };
    const consumer = new LogConsumer({
      nc: fixture.nc,
      names: fixture.names,
      logger: fixture.logger,
      writer,
      options: { batchMax: 300, batchWaitMs: 50, ackWaitMs: 30_000, retryMinMs: 50, retryMaxMs: 500 },
    });
    await consumer.start();
    try {
      await publishAll(events);
      await eventually(async () => (await countLogs(fixture.prisma)) === 299 && (await drained()));
      expect(await fixture.prisma.requestLog.count({ where: { requestId: poison } })).toBe(0);
      const stored = events.filter((event) => event.requestId !== poison);
      expect(await storedStats(fixture.prisma, 'proxy')).toEqual(expectedStats(stored, 'proxyId'));
    } finally {
      await consumer.stop();
    }
  });

  it('keeps events through a database outage and stores them once it is back', async () => {
    const gate = new TcpSwitch('127.0.0.1', Number(new URL(fixture.db.url).port || 3306));
    const url = new URL(fixture.db.url);
    url.port = String(await gate.on());
    const gatedDb = createPrismaWithLiterals(url.toString(), { connectionLimit: 2 });
    const metrics = createLoggingMetrics(new Registry());
    const failures = async (): Promise<number> => (await metrics.batchFailures.get()).values[0]?.value ?? 0;
    try {
      await start({}, { db: gatedDb, metrics });
      const before = Array.from({ length: 100 }, (_, i) => makeEvent(fixture, i));
      await publishAll(before);
      await eventually(async () => (await countLogs(fixture.prisma)) === 100);

      await gate.off();
      const during = Array.from({ length: 300 }, (_, i) => makeEvent(fixture, 100 + i));
      await publishAll(during);
      await eventually(async () => (await failures()) >= 2);
      expect(await countLogs(fixture.prisma)).toBe(100);

      await gate.on();
      await eventually(async () => (await countLogs(fixture.prisma)) === 400 && (await drained()));
      expect(await storedStats(fixture.prisma, 'account')).toEqual(expectedStats([...before, ...during], 'accountId'));
    } finally {
      await Promise.all(running.splice(0).map((server) => server.stop()));
      await gatedDb.prisma.$disconnect();
      await gate.off();
    }
  });

  it('on stop, writes and acknowledges what it received; a successor picks up the rest', async () => {
    const events = Array.from({ length: 3_000 }, (_, i) => makeEvent(fixture, i));
    const first = await start({ BATCH_MAX: 100 });
    const publishing = publishAll(events);
    await eventually(async () => (await countLogs(fixture.prisma)) > 0, 5);
    await first.stop();
    // Nothing received by the stopped consumer is left unacknowledged.
    expect((await consumerBacklog(fixture)).ackPending).toBe(0);
    await publishing;

    await start({ BATCH_MAX: 100 });
    await eventually(async () => (await countLogs(fixture.prisma)) === 3_000 && (await drained()));
    expect(await storedStats(fixture.prisma, 'proxy')).toEqual(expectedStats(events, 'proxyId'));
  });

  it('after a consumer dies between commit and ack, the redelivered events are not stored or counted twice', async () => {
    const events = Array.from({ length: 500 }, (_, i) => makeEvent(fixture, i));
    const doomed = await connectBus(NATS_URL, 'logging-doomed');
    // Commits a batch, then loses its connection before the acks go out: the events stay unacknowledged.
    const realWriter = new LogWriter(fixture.writerDb);
    let crashed = false;
    const victim = new LogConsumer({
      nc: doomed,
      names: fixture.names,
      logger: fixture.logger,
      writer: {
        async write(rows) {
          const result = await realWriter.write(rows);
          crashed = true;
          await doomed.close();
          return result;
        },
      },
      options: { batchMax: 200, batchWaitMs: 20, ackWaitMs: 1_000, retryMinMs: 50, retryMaxMs: 500 },
    });
    await victim.start();
    await publishAll(events);
    await eventually(async () => crashed);
    const afterCrash = await countLogs(fixture.prisma);
    expect(afterCrash).toBeGreaterThan(0);
    await victim.stop();

    await start({ ACK_WAIT_MS: 1_000 });
    await eventually(async () => (await countLogs(fixture.prisma)) === 500 && (await drained()));
    expect(await storedStats(fixture.prisma, 'account')).toEqual(expectedStats(events, 'accountId'));
    const accounts = await fixture.prisma.account.findMany({ orderBy: { id: 'asc' } });
    expect(accounts.reduce((sum, a) => sum + a.usageCount, 0)).toBe(500);
  });
});
