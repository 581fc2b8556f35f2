import { randomBytes } from 'node:crypto';
import { busNames, connectBus, type BusNames, type NatsConnection } from '@aigw/bus';
import { createPrisma, createTestDatabase, type PrismaClient, type TestDatabase } from '@aigw/db';
import { EgressPolicy } from '@aigw/egress';
import { startForwardProxy, startUpstreamEmulator, type ForwardProxy, type UpstreamEmulator } from '@aigw/emulators';
import { callUnary, createClient, MuxClient, startGrpcServer, type GrpcServer } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import {
  ClientFormat,
  InvokeRequest,
  ProviderCallServiceClient,
  type Account,
  type InvokeMuxRequest,
  type InvokeMuxResponse,
  type InvokeResponse,
  type StreamChunk,
} from '@aigw/proto';
import { createRedis, type RedisClient } from '@aigw/redis';
import { createProviderCallApp, type ProviderCallApp } from '../src/provider-call-app.js';

// One provider-call server on port 0 in front of the real upstream emulator, two forward proxies (one
// with credentials), a fresh database holding the proxy pool, and Redis / NATS names of its own.

export interface TestStack {
  emulator: UpstreamEmulator;
  proxyA: ForwardProxy;
  proxyB: ForwardProxy;
  /**
   * proxy_pool ids: A and B are live; `dead` points at a closed port and fails after 2 tries; `socks` is a
   * SOCKS URL stored before the admin API refused them (fails after 2 tries).
   */
  proxyIds: { a: number; b: number; dead: number; socks: number };
  prisma: PrismaClient;
  redis: RedisClient;
  redisPrefix: string;
  nc: NatsConnection;
  names: BusNames;
  client: ProviderCallServiceClient;
  /** InvokeMux, as ingress calls it. */
  mux: MuxClient<InvokeMuxRequest, InvokeMuxResponse>;
  invoke(request: InvokeRequest, timeoutMs?: number): Promise<InvokeResponse>;
  /** Runs InvokeStream to its end; `onChunk` may cancel the call. */
  invokeStream(request: InvokeRequest, onChunk?: (chunk: StreamChunk, cancel: () => void) => void): Promise<StreamChunk[]>;
  stop(): Promise<void>;
}

const SERVICE = 'aigw.providercall.v1.ProviderCallService';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startTestStack(): Promise<TestStack> {
  const run = randomBytes(4).toString('hex');
  const db: TestDatabase = await createTestDatabase('aigw_pc');
  const prisma = createPrisma(db.url);
  const emulator = await startUpstreamEmulator();
  const proxyA = await startForwardProxy({ name: 'proxy-a', username: 'gw user', password: 's3cr:t' });
  const proxyB = await startForwardProxy({ name: 'proxy-b' });
  const a = await prisma.proxy.create({ data: { label: 'a', proxyUrl: proxyA.url, capacity: 10 } });
  const b = await prisma.proxy.create({ data: { label: 'b', proxyUrl: proxyB.url, capacity: 10 } });
  const dead = await prisma.proxy.create({ data: { label: 'dead', proxyUrl: `http://127.0.0.1:${await closedPort()}`, capacity: 10, maxFailures: 2 } });

  const socks = await prisma.proxy.create({ data: { label: 'socks', proxyUrl: `socks5://127.0.0.1:${await closedPort()}`, capacity: 10, maxFailures: 2 } });

  const redisPrefix = `test:pc:${run}:`;
  const redis = createRedis('redis://127.0.0.1:6379', { keyPrefix: redisPrefix });
  const nc = await connectBus('nats://127.0.0.1:4222', `provider-call-test-${run}`);
  const names = busNames(`test.pc.${run}`, `TEST_PC_${run}`);
  const logger = createLogger({ service: 'provider-call-test', level: 'silent' });
  const app: ProviderCallApp = await createProviderCallApp({
    prisma,
    redis,
    nc,
    names,
    logger,
    upstream: { callTimeoutMs: 30_000, streamIdleTimeoutMs: 10_000, maxConnections: 16, keepAliveMs: 5_000 },
    proxyRefreshMs: 60_000,
    proxyHealthFlushMs: 20,
    // The emulator and the proxies listen on loopback.
    egress: new EgressPolicy({ allow: ['127.0.0.0/8', '::1'] }),
  });
  const grpc: GrpcServer = await startGrpcServer('127.0.0.1:0', [app.binding], logger);
  const client = createClient(ProviderCallServiceClient, `127.0.0.1:${grpc.port}`, SERVICE);
  const mux = new MuxClient<InvokeMuxRequest, InvokeMuxResponse>({ label: 'provider-call', open: () => client.invokeMux(), streams: 2 });

  return {
    emulator,
    proxyA,
    proxyB,
    proxyIds: { a: a.id, b: b.id, dead: dead.id, socks: socks.id },
    prisma,
    redis,
    redisPrefix,
    nc,
    names,
    client,
    mux,
    invoke: (request, timeoutMs = 30_000) => callUnary(client.invoke, client, request, Date.now() + timeoutMs),
    invokeStream: (request, onChunk) =>
      new Promise<StreamChunk[]>((resolve, reject) => {
        const chunks: StreamChunk[] = [];
        const call = client.invokeStream(request, { deadline: new Date(Date.now() + 30_000) });
        call.on('data', (chunk: StreamChunk) => {
          chunks.push(chunk);
          onChunk?.(chunk, () => call.cancel());
        });
        call.on('end', () => resolve(chunks));
        call.on('error', (error) => reject(Object.assign(error, { chunks })));
      }),
    async stop() {
      mux.close();
      client.close();
      await grpc.shutdown(1_000);
      await app.close();
      await Promise.allSettled([emulator.close(), proxyA.close(), proxyB.close()]);
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(redisPrefix.length)));
      await Promise.allSettled([nc.drain(), redis.quit(), prisma.$disconnect()]);
      await db.drop();
    },
  };
}

/** The request ingress would send for one attempt. */
export function invokeRequest(options: {
  clientFormat: ClientFormat;
  account: Partial<Account>;
  body: unknown;
  model?: string;
  stream?: boolean;
  token?: string;
}): InvokeRequest {
  return InvokeRequest.fromPartial({
    requestId: `req-${randomBytes(6).toString('hex')}`,
    clientFormat: options.clientFormat,
    body: Buffer.from(JSON.stringify(options.body)),
    upstreamModel: options.model ?? 'up-model',
    account: { id: 1, providerId: 1, label: 'test', authType: 'api_key', ...options.account },
    credential: { headerName: 'authorization', headerValue: `Bearer ${options.token ?? 'sk-test-1'}` },
    stream: options.stream ?? false,
  });
}

/** Client-format SSE text of a stream's data chunks. */
export function streamText(chunks: StreamChunk[]): string {
  return chunks.map((c) => c.data?.toString('utf8') ?? '').join('');
}
