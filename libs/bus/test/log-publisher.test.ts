import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestLogEvent } from '@aigw/proto';
import { busNames, connectBus, deleteLogStream, ensureLogStream, LogPublisher, type NatsConnection } from '../src/index.js';

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

describe('LogPublisher', () => {
  it('publishes every event once, deduplicating republished request ids', async () => {
    const publisher = new LogPublisher(nc, names, { maxInFlight: 16 });
    const ids = Array.from({ length: 200 }, () => randomUUID());
    for (const id of [...ids, ...ids.slice(0, 50)]) {
      publisher.publish(RequestLogEvent.fromPartial({ requestId: id, model: 'm', statusCode: 200 }));
    }
    expect(await publisher.flush(5_000)).toBe(true);
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(names.logStream);
    expect(info.state.messages).toBe(200);
    publisher.close();
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
      expect(info.state.messages).toBe(10);
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
