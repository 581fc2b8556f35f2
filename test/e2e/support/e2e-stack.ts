import { randomBytes } from 'node:crypto';
import { busNames, connectBus, deleteLogStream } from '@aigw/bus';
import { createPrisma, createTestDatabase, type PrismaClient, type TestDatabase } from '@aigw/db';
import { startStack, type ServiceName, type Stack, type StackOptions } from '@aigw/dev';
import { createRedis } from '@aigw/redis';
import { CredentialCipher } from '@aigw/secrets';
import { knownSecrets } from './secrets.js';

// One isolated stack per test file: its own database, Redis key prefix, NATS subjects and log stream,
// so files never see each other's data, and everything is removed afterwards.

export interface E2eContext {
  stack: Stack;
  prisma: PrismaClient;
  cipher: CredentialCipher;
  /** Credentials as seeded, before any refresh rotated them away (for the secret scan). */
  seededSecrets: Map<string, string>;
  teardown(): Promise<void>;
}

export interface E2eOptions extends Partial<StackOptions> {
  /** The database URL a service connects with, from the test database's (e.g. through a TcpSwitch); others use it as is. */
  serviceDatabaseUrl?: Partial<Record<ServiceName, (url: string) => string>>;
}

/**
 * Starts an isolated stack (fresh database, prefixes, stream). E2E_ECHO_LOGS=1 echoes service output;
 * E2E_LOG_LEVEL (default info) runs the services at another level, e.g. debug for the secret scan.
 */
export async function startE2eStack(name: string, options: E2eOptions = {}): Promise<E2eContext> {
  // A free port is found by binding to 0 and letting go; until the service binds it, any outgoing connection on
  // the machine may take it as its own source port. A stack that lost that race starts again on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startE2eStackOnce(name, options);
    } catch (error) {
      const lostPortRace = error instanceof Error && error.message.includes('EADDRINUSE') && (options.ports ?? 0) === 0;
      if (!lostPortRace || attempt >= 3) throw error;
    }
  }
}

async function startE2eStackOnce(name: string, { serviceDatabaseUrl = {}, ...options }: E2eOptions): Promise<E2eContext> {
  const id = `${name}_${randomBytes(3).toString('hex')}`;
  const db: TestDatabase = await createTestDatabase(`aigw_e2e_${name}`.slice(0, 30));
  const redisKeyPrefix = `e2e:${id}:`;
  const natsSubjectPrefix = `e2e_${id}`;
  const logStream = `E2E_${id.toUpperCase()}`;
  const env = { ...options.env };
  for (const [service, rewrite] of Object.entries(serviceDatabaseUrl) as [ServiceName, (url: string) => string][]) {
    env[service] = { ...env[service], DATABASE_URL: rewrite(db.url) };
  }
  let stack: Stack;
  try {
    stack = await startStack({
      databaseUrl: db.url,
      redisKeyPrefix,
      natsSubjectPrefix,
      logStream,
      ports: 0,
      logLevel: process.env['E2E_LOG_LEVEL'] || 'info',
      ...(process.env['E2E_ECHO_LOGS'] ? { onLog: (l) => process.stderr.write(`${l.service} ${l.line}\n`) } : {}),
      ...options,
      env,
    });
  } catch (error) {
    await cleanInfrastructure(redisKeyPrefix, natsSubjectPrefix, logStream);
    await db.drop();
    throw error;
  }
  const prisma = createPrisma(db.url, { connectionLimit: 3 });
  const cipher = new CredentialCipher(Buffer.from(stack.encryptionKey, 'hex'));
  const ctx: E2eContext = {
    stack,
    prisma,
    cipher,
    seededSecrets: new Map(),
    async teardown() {
      await stack.stop();
      await prisma.$disconnect();
      await cleanInfrastructure(redisKeyPrefix, natsSubjectPrefix, logStream);
      await db.drop();
    },
  };
  try {
    ctx.seededSecrets = await knownSecrets(ctx);
  } catch (error) {
    // The services are running by now: left behind, they would hold their database connections for good.
    await ctx.teardown().catch(() => undefined);
    throw error;
  }
  return ctx;
}

async function cleanInfrastructure(redisKeyPrefix: string, natsSubjectPrefix: string, logStream: string): Promise<void> {
  const nc = await connectBus(process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222', 'e2e-cleanup');
  try {
    await deleteLogStream(nc, busNames(natsSubjectPrefix, logStream));
  } finally {
    await nc.close();
  }
  const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisKeyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
