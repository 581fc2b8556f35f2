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
  });
});
