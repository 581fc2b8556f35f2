import { busAccess, connectBus, busNames, type BusNames, type NatsConnection } from '@aigw/bus';
import { createPrisma, type PrismaClient } from '@aigw/db';
import { createClient, isServing, MuxClient } from '@aigw/grpc';
import { AuthServiceClient, ProviderCallServiceClient, SelectorServiceClient } from '@aigw/proto';
import type { Logger } from '@aigw/logger';
import { createRedis, redisAccess, type RedisClient } from '@aigw/redis';
import type { IngressConfig } from './config.js';
import type { DependencyCheck } from './observability/readiness.js';
import type { BackendClients } from './proxying/grpc-backends.js';

const SERVICE_NAMES = {
  selector: 'aigw.selector.v1.SelectorService',
  auth: 'aigw.auth.v1.AuthService',
  providerCall: 'aigw.providercall.v1.ProviderCallService',
} as const;

/** The connections ingress holds for its lifetime. */
export interface Connections {
  redis: RedisClient;
  prisma: PrismaClient;
  nc: NatsConnection;
  names: BusNames;
  clients: BackendClients;
  /** Closes everything (after in-flight work is done). */
  close(): Promise<void>;
}

/** Opens Redis, MySQL, NATS and the three gRPC channels. */
export async function openConnections(config: IngressConfig, logger: Logger): Promise<Connections> {
  const redis = createRedis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    clusterNodes: config.REDIS_CLUSTER_NODES,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    access: redisAccess(config),
    logger,
  });
  // A query of a request (a client key) is bounded by DB_TIMEOUT_MS anyway; failing as fast frees the pool's queue.
  const prisma = createPrisma(config.DATABASE_URL, { acquireTimeoutMs: config.DB_TIMEOUT_MS });
  const nc = await connectBus(config.NATS_URL, 'ingress', busAccess(config));
  const selector = createClient(SelectorServiceClient, config.SELECTOR_ADDR, SERVICE_NAMES.selector);
  const providerCall = createClient(ProviderCallServiceClient, config.PROVIDER_CALL_ADDR, SERVICE_NAMES.providerCall);
  // A backend that is down fails every reconnect attempt; one line per backend every 10 s says enough.
  const lastStreamWarning = new Map<string, number>();
  const onStreamError = (backend: string) => (error: Error) => {
    if (Date.now() - (lastStreamWarning.get(backend) ?? 0) < 10_000) return;
    lastStreamWarning.set(backend, Date.now());
    logger.warn({ backend, err: { message: error.message } }, 'backend stream broke; reconnecting');
  };
  const clients: BackendClients = {
    selector,
    auth: createClient(AuthServiceClient, config.AUTH_ADDR, SERVICE_NAMES.auth),
    providerCall,
    selectorMux: new MuxClient({ label: 'selector', open: () => selector.mux(), streams: config.MUX_STREAMS, onStreamError: onStreamError('selector') }),
    invokeMux: new MuxClient({ label: 'provider-call', open: () => providerCall.invokeMux(), streams: config.MUX_STREAMS, onStreamError: onStreamError('provider-call') }),
  };
  return {
    redis,
    prisma,
    nc,
    names: busNames(config.NATS_SUBJECT_PREFIX, config.NATS_LOG_STREAM),
    clients,
    async close() {
      clients.selectorMux.close();
      clients.invokeMux.close();
      for (const client of [clients.selector, clients.auth, clients.providerCall]) client.close();
      await Promise.allSettled([nc.drain(), redis.quit(), prisma.$disconnect()]);
    },
  };
}

/** What /readyz checks: every backend a request may need. */
export function readinessChecks(config: IngressConfig, connections: Connections, routesLoaded: () => boolean): DependencyCheck[] {
  const { redis, prisma, nc } = connections;
  return [
    { name: 'redis', check: async () => (await redis.ping()) === 'PONG' },
    { name: 'mysql', check: async () => (await prisma.$queryRaw`SELECT 1`, true) },
    { name: 'nats', check: async () => !nc.isClosed() && (await nc.flush(), true) },
    { name: 'selector', check: () => isServing(config.SELECTOR_ADDR, SERVICE_NAMES.selector) },
    { name: 'auth', check: () => isServing(config.AUTH_ADDR, SERVICE_NAMES.auth) },
    { name: 'provider-call', check: () => isServing(config.PROVIDER_CALL_ADDR, SERVICE_NAMES.providerCall) },
    { name: 'routes', check: async () => routesLoaded() },
  ];
}
