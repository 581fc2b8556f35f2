import { AckPolicy, DeliverPolicy, nanos, RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import type { BusNames } from './names.js';

/** Creates (or updates) the request-log stream: file storage, 2-minute dedup window on the request id. */
export async function ensureLogStream(nc: NatsConnection, names: BusNames, replicas = 1): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const config = {
    name: names.logStream,
    subjects: [names.logSubject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(120_000),
    max_age: nanos(7 * 24 * 3600 * 1000),
    num_replicas: replicas,
  };
  try {
    await jsm.streams.info(names.logStream);
    await jsm.streams.update(names.logStream, config);
  } catch (error) {
    if (!String((error as Error).message).includes('stream not found')) throw error;
    await jsm.streams.add(config);
  }
}

/** Creates the durable pull consumer of the logging service (explicit ack, bounded pending). */
export async function ensureLogConsumer(nc: NatsConnection, names: BusNames, ackWaitMs = 30_000): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(names.logStream, {
    durable_name: names.logConsumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(ackWaitMs),
    max_ack_pending: 50_000,
    max_deliver: -1,
  });
}

/** Deletes the stream (tests clean up after themselves). */
export async function deleteLogStream(nc: NatsConnection, names: BusNames): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(names.logStream).catch(() => undefined);
}
