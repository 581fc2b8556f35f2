import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RequestLogBatch, RequestLogEvent } from '@aigw/proto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busNames, connectBus, deleteLogStream, ensureLogStream, LogOutbox, LogPublisher, type BusNames, type NatsConnection } from '../src/index.js';

const suffix = randomUUID().slice(0, 8);
const names = busNames(`test-${suffix}`, `TEST_LOGS_${suffix}`);
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connectBus(process.env.NATS_URL ?? 'nats://127.0.0.1:4222', 'bus-test');
  await ensureLogStream(nc, names);
});
afterAll(async () => {
  await deleteLogStream(nc, names);
  await nc.drain();
});

/** Every message in the stream, decoded. */
async function streamBatches(of: BusNames): Promise<{ id: string; kind: string | undefined; events: RequestLogEvent[] }[]> {
  const jsm = await nc.jetstreamManager();
  const count = (await jsm.streams.info(of.logStream)).state.messages;
  const batches = [];
  for (let seq = 1; batches.length < count; seq++) {
    const message = await jsm.streams.getMessage(of.logStream, { seq }).catch(() => undefined);
    if (!message) continue;
    batches.push({ id: message.header.get('Nats-Msg-Id'), kind: message.header.get('Aigw-Kind') || undefined, events: RequestLogBatch.decode(message.data).events });
  }
  return batches;
}

describe('LogPublisher', () => {
  it('sends the events of one event-loop turn as one batch message, a lone event at the end of its turn, and splits big turns', async () => {
    const publisher = new LogPublisher(nc, names, { maxInFlight: 16, batchMaxEvents: 500 });
    const first = Array.from({ length: 250 }, () => randomUUID());
    for (const id of first) publisher.publish(RequestLogEvent.fromPartial({ requestId: id, model: 'm', statusCode: 200 }));
    expect(publisher.pending).toBe(250);
    await new Promise((resolve) => setImmediate(resolve));
    await expect.poll(() => publisher.published).toBe(250);
    publisher.publish(RequestLogEvent.fromPartial({ requestId: 'lone', model: 'm' }));
    await expect.poll(() => publisher.published).toBe(251);
    for (let i = 0; i < 1_200; i++) publisher.publish(RequestLogEvent.fromPartial({ requestId: `big-${i}`, model: 'm' }));
    expect(await publisher.flush(5_000)).toBe(true);
    publisher.close();

    const batches = await streamBatches(names);
    expect(batches.map((batch) => batch.events.length)).toEqual([250, 1, 500, 500, 200]);
    expect(batches[0]!.events.map((event) => event.requestId)).toEqual(first);
    expect(batches.every((batch) => batch.kind === 'batch')).toBe(true);
    // Message ids are the publisher's instance and a sequence, never a request id.
    expect(new Set(batches.map((batch) => batch.id)).size).toBe(5);
    expect(batches[0]!.id).toMatch(/^[0-9a-f-]{36}:0$/);
  });

  it('keeps retrying while no stream takes the subject, and delivers once one does', async () => {
    const later = busNames(`test-later-${suffix}`, `TEST_LATER_${suffix}`);
    const errors: unknown[] = [];
    const publisher = new LogPublisher(nc, later, { onError: (error) => errors.push(error) });
    try {
      for (let i = 0; i < 10; i++) publisher.publish(RequestLogEvent.fromPartial({ requestId: randomUUID(), model: 'm' }));
      await expect.poll(() => publisher.failures).toBeGreaterThan(0);
      expect(publisher.pending).toBe(10);
      await ensureLogStream(nc, later);
      expect(await publisher.flush(10_000)).toBe(true);
      const info = await (await nc.jetstreamManager()).streams.info(later.logStream);
      expect(info.state.messages).toBe(1); // one turn, one batch
      expect(publisher.published).toBe(10);
      expect(String(errors[0])).toContain('JetStream did not store');
    } finally {
      publisher.close();
      await deleteLogStream(nc, later);
    }
  });

  it('sends a publish again when its ack does not come in time', async () => {
    // A connection that loses the first ack, as one that broke and reconnected would.
    let acks = 0;
    const lossy = {
      publish: nc.publish.bind(nc),
      subscribe: (subject: string, options: { callback: (error: unknown, msg: unknown) => void }) =>
        nc.subscribe(subject, {
          callback: (error, msg) => {
            if (acks++ === 0) return;
            options.callback(error, msg);
          },
        }),
    } as unknown as NatsConnection;
    const publisher = new LogPublisher(lossy, names, { ackTimeoutMs: 200 });
    try {
      publisher.publish(RequestLogEvent.fromPartial({ requestId: randomUUID(), model: 'm' }));
      expect(await publisher.flush(5_000)).toBe(true);
      expect([publisher.failures, publisher.published, acks]).toEqual([1, 1, 2]);
    } finally {
      publisher.close();
    }
  });
});

describe('LogPublisher with an outbox', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-outbox-it-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps events in the outbox while JetStream is away, and the next process replays them', async () => {
    const outage = busNames(`test-outage-${suffix}`, `TEST_OUTAGE_${suffix}`);
    const first = new LogPublisher(nc, outage, { outbox: LogOutbox.open(dir, { maxBytes: 1024 * 1024 }), onError: () => undefined });
    for (let i = 0; i < 10; i++) first.publish(RequestLogEvent.fromPartial({ requestId: `o-${i}`, model: 'm' }));
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 10; i < 15; i++) first.publish(RequestLogEvent.fromPartial({ requestId: `o-${i}`, model: 'm' }));
    expect(await first.flush(300)).toBe(false);
    expect(first.pending).toBe(15);
    first.close(); // a SIGTERM whose flush ran out of time
    expect(readdirSync(dir).filter((name) => name.endsWith('.seg')).length).toBe(1);

    try {
      await ensureLogStream(nc, outage);
      const second = new LogPublisher(nc, outage, { outbox: LogOutbox.open(dir, { maxBytes: 1024 * 1024 }) });
      expect(second.pending).toBe(15);
      expect(await second.flush(5_000)).toBe(true);
      second.close();
      const batches = await streamBatches(outage);
      expect(batches.map((batch) => batch.events.length)).toEqual([10, 5]);
      expect(batches.flatMap((batch) => batch.events.map((event) => event.requestId))).toEqual(Array.from({ length: 15 }, (_, i) => `o-${i}`));
      expect(readdirSync(dir).filter((name) => name.endsWith('.seg'))).toEqual([]);
    } finally {
      await deleteLogStream(nc, outage);
    }
  });

  it('a batch replayed after a crash keeps its message id, so JetStream stores it once', async () => {
    const crashNames = busNames(`test-crash-${suffix}`, `TEST_CRASH_${suffix}`);
    await ensureLogStream(nc, crashNames);
    try {
      // Acknowledged but still in the open segment when the process dies (no close()).
      const crashed = new LogPublisher(nc, crashNames, { outbox: LogOutbox.open(dir, { maxBytes: 1024 * 1024 }) });
      for (let i = 0; i < 5; i++) crashed.publish(RequestLogEvent.fromPartial({ requestId: `c-${i}`, model: 'm' }));
      expect(await crashed.flush(5_000)).toBe(true);

      const next = new LogPublisher(nc, crashNames, { outbox: LogOutbox.open(dir, { maxBytes: 1024 * 1024 }) });
      expect(next.pending).toBe(5);
      expect(await next.flush(5_000)).toBe(true);
      next.close();
      expect((await streamBatches(crashNames)).map((batch) => batch.events.length)).toEqual([5]);
    } finally {
      await deleteLogStream(nc, crashNames);
    }
  });

  it('counts the events it cannot keep once the outbox is full', async () => {
    const full = busNames(`test-full-${suffix}`, `TEST_FULL_${suffix}`);
    const dropped: [number, string][] = [];
    const publisher = new LogPublisher(nc, full, {
      outbox: LogOutbox.open(dir, { maxBytes: 2_000, segmentBytes: 1_000 }),
      onError: () => undefined,
      onDropped: (events, reason) => dropped.push([events, reason]),
    });
    for (let turn = 0; turn < 30; turn++) {
      for (let i = 0; i < 3; i++) publisher.publish(RequestLogEvent.fromPartial({ requestId: `f-${turn}-${i}`, model: 'model-name' }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every(([events, reason]) => events === 3 && reason === 'outbox_full')).toBe(true);
    expect(publisher.dropped + publisher.pending).toBe(90);
    publisher.close();
  });
});
