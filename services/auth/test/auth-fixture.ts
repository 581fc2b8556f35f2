import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { busNames, connectBus, type BusNames, type NatsConnection } from '@aigw/bus';
import { createPrisma, createTestDatabase, type PrismaClient, type TestDatabase } from '@aigw/db';
import { EgressPolicy } from '@aigw/egress';
import { startOAuthEmulator, type OAuthEmulator } from '@aigw/emulators';
import { callUnary, createClient, startGrpcServer, type GrpcServer } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { AuthServiceClient, type Credential } from '@aigw/proto';
import type { Registry } from '@aigw/metrics';
import { createRedis, type RedisClient } from '@aigw/redis';
import { CredentialCipher } from '@aigw/secrets';
import { createAuthApp } from '../src/auth-app.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const NATS_URL = 'nats://127.0.0.1:4222';

/** One auth replica: its own connections, the real gRPC server on port 0 and a typed client. */
export interface AuthReplica {
  getCredential(accountId: number): Promise<Credential>;
  invalidate(accountId: number): Promise<void>;
  close(): Promise<void>;
}

export interface ReplicaOptions {
  /** Reach Redis through this port (a TcpSwitch in front of it) instead of 6379. */
  redisPort?: number;
  registry?: Registry;
}

/** A test file's world: its own database, Redis key prefix, NATS subjects, encryption key and token endpoint. */
export interface AuthWorld {
  prisma: PrismaClient;
  cipher: CredentialCipher;
  oauth: OAuthEmulator;
  /** Unprefixed client for inspecting keys; add `prefix` yourself. */
  rawRedis: RedisClient;
  prefix: string;
  names: BusNames;
  /** Every log line the replicas wrote. */
  logs(): string;
  startReplica(options?: ReplicaOptions): Promise<AuthReplica>;
  seedProvider(name: string, kind: string): Promise<number>;
  seedAccount(providerId: number, authType: string, authData: unknown): Promise<number>;
  /** An OAuth account whose refresh token the emulator has never seen. */
  seedOAuthAccount(providerId: number, clientId: string): Promise<number>;
  close(): Promise<void>;
}

export async function createAuthWorld(): Promise<AuthWorld> {
  const run = randomBytes(4).toString('hex');
  const db: TestDatabase = await createTestDatabase('aigw_auth');
  const prisma = createPrisma(db.url);
  const cipher = new CredentialCipher(randomBytes(32));
  // A slow token endpoint widens the window in which concurrent callers could race to refresh.
  const oauth = await startOAuthEmulator({ delayMs: 100 });
  const prefix = `test:auth:${run}:`;
  const rawRedis = createRedis(REDIS_URL);
  const names = busNames(`test_auth_${run}`, `TEST_AUTH_${run}`);
  const logStream = new PassThrough();
  let logText = '';
  logStream.on('data', (chunk: Buffer) => (logText += chunk.toString('utf8')));
  const logger = createLogger({ service: 'auth-test', level: 'debug', destination: logStream });
  const replicas: AuthReplica[] = [];

  async function startReplica(options: ReplicaOptions = {}): Promise<AuthReplica> {
    const redisUrl = options.redisPort === undefined ? REDIS_URL : `redis://127.0.0.1:${options.redisPort}`;
    const redis = createRedis(redisUrl, { keyPrefix: prefix, commandTimeoutMs: 300, logger });
    const nc: NatsConnection = await connectBus(NATS_URL, 'auth-test');
    const replicaPrisma = createPrisma(db.url);
    const app = createAuthApp({
      prisma: replicaPrisma,
      redis,
      nc,
      names,
      cipher,
      logger,
      oauth: {
        marginMs: 300_000,
        tokenTimeoutMs: 2_000,
        lockTtlMs: 10_000,
        lockWaitMs: 15_000,
        pollMs: 20,
        // Generous for a loaded CI machine: the concurrency tests must not see a healthy refresh as slow.
        refreshWaitMs: 1_500,
        backoff: { baseMs: 1_000, maxMs: 60_000 },
      },
      registry: options.registry,
      credentialCacheTtlMs: 300_000,
      // The token endpoint emulator listens on 127.0.0.1; the name `localhost` stays refused (a test relies on it).
      egress: new EgressPolicy({ allow: ['127.0.0.0/8'] }),
    });
    await nc.flush();
    const grpc: GrpcServer = await startGrpcServer('127.0.0.1:0', [app.binding], logger);
    const client = createClient(AuthServiceClient, `127.0.0.1:${grpc.port}`, 'aigw.auth.v1.AuthService');
    const deadline = () => Date.now() + 20_000;
    const replica: AuthReplica = {
      async getCredential(accountId) {
        const response = await callUnary(client.getCredential, client, { accountId }, deadline());
        if (response.credential === undefined) throw new Error('no credential in response');
        return response.credential;
      },
      async invalidate(accountId) {
        await callUnary(client.invalidateCredential, client, { accountId }, deadline());
      },
      async close() {
        client.close();
        await grpc.shutdown(1_000);
        app.close();
        await Promise.allSettled([nc.close(), redis.quit(), replicaPrisma.$disconnect()]);
      },
    };
    replicas.push(replica);
    return replica;
  }

  async function seedAccount(providerId: number, authType: string, authData: unknown): Promise<number> {
    const account = await prisma.account.create({
      data: { providerId, label: `${authType}-${randomBytes(2).toString('hex')}`, authType, authData: cipher.encryptJson(authData) },
    });
    return account.id;
  }

  return {
    prisma,
    cipher,
    oauth,
    rawRedis,
    prefix,
    names,
    logs: () => logText,
    startReplica,
    async seedProvider(name, kind) {
      const provider = await prisma.provider.create({ data: { name, kind, baseUrl: `https://${name}.example` } });
      return provider.id;
    },
    seedAccount,
    seedOAuthAccount: (providerId, clientId) =>
      seedAccount(providerId, 'oauth', {
        clientId,
        clientSecret: `secret-of-${clientId}`,
        refreshToken: `1//seed-${clientId}-${randomBytes(6).toString('hex')}`,
        tokenUrl: oauth.url,
      }),
    async close() {
      await Promise.allSettled(replicas.map((r) => r.close()));
      const keys = await rawRedis.keys(`${prefix}*`);
      if (keys.length > 0) await rawRedis.del(...keys);
      await Promise.allSettled([rawRedis.quit(), prisma.$disconnect(), oauth.close()]);
      await db.drop();
    },
  };
}
