import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestLogEvent } from '@aigw/proto';
import { toLogRow } from '../src/ingest/log-row.js';
import { LogWriter } from '../src/ingest/log-writer.js';
import { countLogs, createLoggingFixture, expectedStats, makeEvent, storedStats, type LoggingFixture } from './logging-fixture.js';

let fixture: LoggingFixture;

beforeEach(async () => {
  fixture = await createLoggingFixture();
});
afterEach(async () => {
  await fixture.close();
});

const rowOf = (event: RequestLogEvent) => toLogRow(event, { nowMs: Date.now(), receivedAtMs: () => Date.now() });

describe('LogWriter against MariaDB', () => {
  it('stores hostile strings exactly as sent, inside one statement with no bound parameters', async () => {
    const hostile = [
      "'); DROP TABLE request_logs; --",
      "\\'; DELETE FROM accounts; #",
      'trailing backslash\\',
      '\0nul and \x1a ctrl-Z\r\n\t\b',
      '"double" `back` ?? :named $1',
      'ünïcödé 漢字 😀',
    ];
    const events = hostile.map((text, i) =>
      RequestLogEvent.fromPartial({
        ...makeEvent(fixture, i),
        requestId: `it's-${i}\\"`,
        model: text,
        upstreamModel: text,
        errorClass: text.slice(0, 60),
        droppedFields: [text, 'n'],
        clientRequestId: text,
      }),
    );
    const writer = new LogWriter(fixture.writerDb);
    expect(await writer.write(events.map(rowOf))).toEqual({ inserted: hostile.length, duplicates: 0 });
    // Again: the hostile ids now go through the lookup too.
    expect(await writer.write(events.map(rowOf))).toEqual({ inserted: 0, duplicates: hostile.length });

    const stored = await fixture.prisma.requestLog.findMany({ orderBy: { id: 'asc' } });
    expect(stored.map((row) => row.requestId)).toEqual(events.map((event) => event.requestId));
    expect(stored.map((row) => row.model)).toEqual(hostile);
    expect(stored.map((row) => row.upstreamModel)).toEqual(hostile);
    expect(stored.map((row) => row.errorClass)).toEqual(hostile.map((text) => text.slice(0, 60)));
    expect(stored.map((row) => row.droppedFields)).toEqual(hostile.map((text) => `${text},n`));
    expect(stored.map((row) => row.clientRequestId)).toEqual(hostile);
    expect(await fixture.prisma.account.count()).toBe(fixture.accountIds.length);
  });

  it('skips stored ids on rewrites and overlapping batches, counting each event once in the rollups', async () => {
    // Every event names the same client id: it is carried, never a key, so it merges nothing.
    const events = Array.from({ length: 300 }, (_, i) => ({ ...makeEvent(fixture, i), clientRequestId: 'same-client-id' }));
    const writer = new LogWriter(fixture.writerDb);
    expect(await writer.write(events.slice(0, 200).map(rowOf))).toEqual({ inserted: 200, duplicates: 0 });
    // Redelivered whole: the insert hits the unique index, the retry looks the ids up.
    expect(await writer.write(events.slice(0, 200).map(rowOf))).toEqual({ inserted: 0, duplicates: 200 });
    // Half stored, half new, with a repeat inside the batch.
    const mixed = [...events.slice(100, 300), events[250]!].map(rowOf);
    expect(await writer.write(mixed)).toEqual({ inserted: 100, duplicates: 101 });

    expect(await countLogs(fixture.prisma)).toBe(300);
    expect(await fixture.prisma.requestLog.count({ where: { clientRequestId: 'same-client-id' } })).toBe(300);
    const affinity = await fixture.prisma.requestLog.groupBy({ by: ['affinity'], _count: true, orderBy: { affinity: 'asc' } });
    expect(affinity.map((group) => [group.affinity, group._count])).toEqual([
      [null, 75],
      ['hit', 75],
      ['new_binding', 75],
      ['rebound', 75],
    ]);
    expect(await storedStats(fixture.prisma, 'proxy')).toEqual(expectedStats(events, 'proxyId'));
    expect(await storedStats(fixture.prisma, 'account')).toEqual(expectedStats(events, 'accountId'));
    const usage = await fixture.prisma.account.aggregate({ _sum: { usageCount: true } });
    expect(usage._sum.usageCount).toBe(300);
  });

  it('stores each request’s cost, and moves the client key’s lastUsedAt to the batch’s latest request, never back', async () => {
    const key = await fixture.prisma.apiKey.create({ data: { name: 'k', keyHash: 'a'.repeat(64), prefix: 'aigw-k' } });
    const base = Date.UTC(2026, 0, 2, 3, 4, 5);
    const events = [0, 1, 2].map((i) =>
      RequestLogEvent.fromPartial({ ...makeEvent(fixture, i), apiKeyId: key.id, finishedAtMs: base + i * 1000, costMicroUsd: i === 2 ? undefined : 1500 + i }),
    );
    const writer = new LogWriter(fixture.writerDb);
    await writer.write([events[2]!, events[0]!, events[1]!].map(rowOf));
    const stored = await fixture.prisma.requestLog.findMany({ orderBy: { createdAt: 'asc' } });
    expect(stored.map((row) => (row.costMicroUsd === null ? null : Number(row.costMicroUsd)))).toEqual([1500, 1501, null]);
    expect((await fixture.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt?.getTime()).toBe(base + 2000);
    // An older batch (a redelivery from before) leaves it where it is.
    const older = RequestLogEvent.fromPartial({ ...makeEvent(fixture, 9), apiKeyId: key.id, finishedAtMs: base - 60_000 });
    await writer.write([rowOf(older)]);
    expect((await fixture.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt?.getTime()).toBe(base + 2000);
  });
});
