import { randomBytes } from 'node:crypto';
import { busNames, connectBus, deleteLogStream } from '@aigw/bus';
import { createTestDatabase } from '@aigw/db';
import { Redis } from '@aigw/redis';

// A benchmark shares Redis, MySQL and NATS with everything else on the machine, so it works in names of
// its own (a fresh database, a Redis key prefix, a NATS subject prefix and stream) and removes them after.

export interface Isolation {
  databaseUrl: string;
  redisUrl: string;
  natsUrl: string;
  redisKeyPrefix: string;
  natsSubjectPrefix: string;
  logStream: string;
  /** Drops the database, the stream and the Redis keys; never throws. */
  cleanup(): Promise<void>;
}

/** Creates the database and picks the names; `redisUrl`/`natsUrl` are the shared servers. */
export async function isolate(redisUrl: string, natsUrl: string): Promise<Isolation> {
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = await createTestDatabase('aigw_bench');
  const redisKeyPrefix = `bench-${id}:`;
  const natsSubjectPrefix = `bench-${id}`;
  const logStream = `BENCH_${id.toUpperCase()}`;
  const cleanup = async () => {
    await Promise.allSettled([
      database.drop(),
      deleteKeys(redisUrl, redisKeyPrefix),
      (async () => {
        const nc = await connectBus(natsUrl, 'aigw-bench-cleanup');
        await deleteLogStream(nc, busNames(natsSubjectPrefix, logStream));
        await nc.drain();
      })(),
    ]);
  };
  return { databaseUrl: database.url, redisUrl, natsUrl, redisKeyPrefix, natsSubjectPrefix, logStream, cleanup };
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  try {
    // The prefix is ours alone (time + random), so the glob cannot reach another run's keys.
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
