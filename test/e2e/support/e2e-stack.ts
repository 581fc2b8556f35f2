import { randomBytes } from 'node:crypto';
import { busNames, connectBus, deleteLogStream } from '@aigw/bus';
import { createPrisma, createTestDatabase, type PrismaClient, type TestDatabase } from '@aigw/db';
import { startStack, type Stack, type StackOptions } from '@aigw/dev';
import { createRedis } from '@aigw/redis';
import { CredentialCipher } from '@aigw/secrets';
import { knownSecrets } from './secrets.js';

// One isolated stack per test file: its own database, Redis key prefix, NATS subjects and log stream,
// so files never see each other's data, and everything is removed afterwards.

export interface E2eContext {
  stack: Stack;
  /** Every ingress replica's URL (one unless `ingressReplicas` said more). */
  ingressUrls: string[];
  prisma: PrismaClient;
  cipher: CredentialCipher;
  /** Credentials as seeded, before any refresh rotated them away (for the secret scan). */
  seededSecrets: Map<string, string>;
  teardown(): Promise<void>;
}

/**
 * Starts an isolated stack (fresh database, prefixes, stream). E2E_ECHO_LOGS=1 echoes service output;
 * E2E_LOG_LEVEL (default info) runs the services at another level, e.g. debug for the secret scan.
 */
export interface E2eStackOptions extends Partial<StackOptions> {
  /**
   * `host:port` at which the services reach MySQL instead of the server the test database lives on (a
   * TcpSwitch in front of it); the test's own `prisma` always connects directly.
   */
  databaseAddress?: string;
  /** Ingress processes sharing the stack's Redis, database and backends (default 1); see ctx.ingressUrls. */
  ingressReplicas?: number;
}

export async function startE2eStack(name: string, options: E2eStackOptions = {}): Promise<E2eContext> {
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

async function startE2eStackOnce(name: string, { databaseAddress, ingressReplicas, ...options }: E2eStackOptions): Promise<E2eContext> {
  if (ingressReplicas !== undefined) options = { ...options, replicas: { ...options.replicas, ingress: ingressReplicas } };
  const id = `${name}_${randomBytes(3).toString('hex')}`;
  const db: TestDatabase = await createTestDatabase(`aigw_e2e_${name}`.slice(0, 30));
  const redisKeyPrefix = `e2e:${id}:`;
  const natsSubjectPrefix = `e2e_${id}`;
  const logStream = `E2E_${id.toUpperCase()}`;
  let stack: Stack;
  try {
    stack = await startStack({
      databaseUrl: databaseAddress === undefined ? db.url : withAddress(db.url, databaseAddress),
      redisKeyPrefix,
      natsSubjectPrefix,
      logStream,
      ports: 0,
      logLevel: process.env['E2E_LOG_LEVEL'] || 'info',
      ...(process.env['E2E_ECHO_LOGS'] ? { onLog: (l) => process.stderr.write(`${l.service} ${l.line}\n`) } : {}),
      ...options,
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
    ingressUrls: stack.ingressUrls,
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

function withAddress(url: string, address: string): string {
  const parsed = new URL(url);
  parsed.host = address;
  return parsed.toString();
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
