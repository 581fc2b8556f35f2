import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { busNames, connectBus, publishConfigChanged, type BusNames, type NatsConnection } from '@aigw/bus';
import { createPrisma, createTestDatabase, type PrismaClient, type TestDatabase } from '@aigw/db';
import { callUnary, createClient, MuxClient, startGrpcServer, type GrpcServer } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { ReportOutcomeRequest, SelectorServiceClient, type Account, type AffinityOutcome, type SelectorMuxRequest, type SelectorMuxResponse } from '@aigw/proto';
import type { Registry } from '@aigw/metrics';
import { createRedis, type RedisClient } from '@aigw/redis';
import { createSelectorApp, type SelectorApp } from '../src/selector-app.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const NATS_URL = 'nats://127.0.0.1:4222';
let logText = '';
const logStream = new PassThrough();
logStream.on('data', (chunk: Buffer) => (logText += chunk.toString('utf8')));
const logger = createLogger({ service: 'selector-test', level: 'info', destination: logStream });

export const cooldown = { baseMs: 1_000, maxMs: 60_000, authFailureMs: 30_000 };

/** One selector replica: its own connections, the real gRPC server on port 0 and a typed client. */
export interface Replica {
  app: SelectorApp;
  select(providerId: number, model: string, exclude?: number[]): Promise<Account>;
  /** A selection with an affinity key: the account's id and what affinity did. */
  selectFor(affinityKey: string, providerId: number, model: string, exclude?: number[]): Promise<{ id: number; affinity: AffinityOutcome }>;
  report(accountId: number, model: string, statusCode: number, retryAfterMs?: number, hint?: Partial<ReportOutcomeRequest>): Promise<number>;
  /** The same calls over the multiplexed stream, as ingress makes them. */
  mux: MuxClient<SelectorMuxRequest, SelectorMuxResponse>;
  close(): Promise<void>;
}

export interface ReplicaOptions {
  now?: () => number;
  affinityTtlMs?: number;
  /** Reach Redis through this port (a TcpSwitch in front of it) instead of 6379. */
  redisPort?: number;
  registry?: Registry;
}

/** A test file's world: its own database, Redis key prefix and NATS subjects. */
export interface SelectorWorld {
  prisma: PrismaClient;
  /** Unprefixed client for inspecting keys; add `prefix` yourself. */
  rawRedis: RedisClient;
  prefix: string;
  names: BusNames;
  nc: NatsConnection;
  startReplica(options?: ReplicaOptions): Promise<Replica>;
  /** Every log line the replicas of this test file wrote. */
  logs(): string;
  publishAccountChange(): void;
  close(): Promise<void>;
}

export async function createSelectorWorld(): Promise<SelectorWorld> {
  const run = randomBytes(4).toString('hex');
  const db: TestDatabase = await createTestDatabase('aigw_selector');
  const prisma = createPrisma(db.url);
  const prefix = `test:selector:${run}:`;
  const rawRedis = createRedis(REDIS_URL);
  const names = busNames(`test_selector_${run}`, `TEST_SELECTOR_${run}`);
  const nc = await connectBus(NATS_URL, 'selector-test-admin');
  const replicas: Replica[] = [];

  async function startReplica(options: ReplicaOptions = {}): Promise<Replica> {
    const redisUrl = options.redisPort === undefined ? REDIS_URL : `redis://127.0.0.1:${options.redisPort}`;
    const redis = createRedis(redisUrl, { keyPrefix: prefix, commandTimeoutMs: 300, logger });
    const replicaNc = await connectBus(NATS_URL, 'selector-test');
    const replicaPrisma = createPrisma(db.url);
    const app = await createSelectorApp({
      prisma: replicaPrisma,
      redis,
      nc: replicaNc,
      names,
      logger,
      accountRefreshMs: 600_000,
      cooldown,
      affinityTtlMs: options.affinityTtlMs ?? 3_600_000,
      now: options.now,
      registry: options.registry,
    });
    // A round trip to the server makes sure the config subscription is registered before the test publishes.
    await replicaNc.flush();
    const grpc: GrpcServer = await startGrpcServer('127.0.0.1:0', [app.binding], logger);
    const client = createClient(SelectorServiceClient, `127.0.0.1:${grpc.port}`, 'aigw.selector.v1.SelectorService');
    const deadline = () => Date.now() + 5_000;
    const mux = new MuxClient<SelectorMuxRequest, SelectorMuxResponse>({ label: 'selector', open: () => client.mux(), streams: 2 });
    const replica: Replica = {
      app,
      mux,
      async select(providerId, model, exclude = []) {
        const response = await callUnary(client.selectAccount, client, { providerId, model, excludeAccountIds: exclude, affinityKey: '' }, deadline());
        if (response.account === undefined) throw new Error('no account in response');
        return response.account;
      },
      async selectFor(affinityKey, providerId, model, exclude = []) {
        const response = await callUnary(client.selectAccount, client, { providerId, model, excludeAccountIds: exclude, affinityKey }, deadline());
        if (response.account === undefined) throw new Error('no account in response');
        return { id: response.account.id, affinity: response.affinity };
      },
      async report(accountId, model, statusCode, retryAfterMs = 0, hint = {}) {
        const request = ReportOutcomeRequest.fromPartial({ accountId, model, statusCode, retryAfterMs, ...hint });
        const response = await callUnary(client.reportOutcome, client, request, deadline());
        return response.cooldownMs;
      },
      async close() {
        mux.close();
        client.close();
        await grpc.shutdown(1_000);
        app.close();
        await Promise.allSettled([replicaNc.close(), redis.quit(), replicaPrisma.$disconnect()]);
      },
    };
    replicas.push(replica);
    return replica;
  }

  return {
    prisma,
    rawRedis,
    prefix,
    names,
    nc,
    startReplica,
    logs: () => logText,
    publishAccountChange: () => publishConfigChanged(nc, names, { entity: 'account' }),
    async close() {
      await Promise.allSettled(replicas.map((r) => r.close()));
      const keys = await rawRedis.keys(`${prefix}*`);
      if (keys.length > 0) await rawRedis.del(...keys);
      await Promise.allSettled([rawRedis.quit(), nc.close(), prisma.$disconnect()]);
      await db.drop();
    },
  };
}

/** Creates a provider with `count` active accounts; returns their ids in ring order. */
export async function seedProvider(
  prisma: PrismaClient,
  name: string,
  count: number,
  accountFields: { rateLimitPerMin?: number | null } = {},
): Promise<{ providerId: number; accountIds: number[] }> {
  const provider = await prisma.provider.create({ data: { name, kind: 'openai', baseUrl: `https://${name}.example/v1` } });
  const accountIds: number[] = [];
  for (let i = 0; i < count; i++) {
    const account = await prisma.account.create({
      data: { providerId: provider.id, label: `${name}-${i + 1}`, authType: 'api_key', authData: 'v1.not.read.here', egress: 'direct', ...accountFields },
    });
    accountIds.push(account.id);
  }
  return { providerId: provider.id, accountIds };
}
