import { busNames, connectBus } from '@aigw/bus';
import { loadConfig } from '@aigw/config';
import { createPrisma } from '@aigw/db';
import { onShutdownSignal, startGrpcServer } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { createRegistry, serveMetrics } from '@aigw/metrics';
import { createRedis } from '@aigw/redis';
import { configSchema } from './config.js';
import { createProviderCallApp } from './provider-call-app.js';

const config = loadConfig(configSchema);
const logger = createLogger({ service: 'provider-call', level: config.LOG_LEVEL });

async function main(): Promise<void> {
  const prisma = createPrisma(config.DATABASE_URL);
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, clusterNodes: config.REDIS_CLUSTER_NODES });
  const nc = await connectBus(config.NATS_URL, 'provider-call');
  const registry = createRegistry('provider-call');
  const app = await createProviderCallApp({
    prisma,
    redis,
    nc,
    names: busNames(config.NATS_SUBJECT_PREFIX, config.NATS_LOG_STREAM),
    logger,
    registry,
    upstream: {
      totalTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
      headersTimeoutMs: config.UPSTREAM_HEADERS_TIMEOUT_MS,
      maxConnections: config.UPSTREAM_MAX_CONNECTIONS,
      keepAliveMs: config.UPSTREAM_KEEPALIVE_MS,
    },
    proxyRefreshMs: config.PROXY_REFRESH_MS,
    proxyHealthFlushMs: config.PROXY_HEALTH_FLUSH_MS,
  });
  const grpc = await startGrpcServer(`${config.GRPC_HOST}:${config.GRPC_PORT}`, [app.binding], logger);
  const metrics = config.METRICS_PORT > 0 ? await serveMetrics(registry, config.METRICS_PORT) : undefined;

  onShutdownSignal(logger, async () => {
    await grpc.shutdown(config.SHUTDOWN_GRACE_MS);
    await app.close();
    metrics?.server.close();
    await Promise.allSettled([nc.drain(), redis.quit(), prisma.$disconnect()]);
  });
  logger.info({ port: grpc.port, metricsPort: metrics?.port }, 'ready');
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'provider-call failed to start');
  logger.flush();
  process.exit(1);
});
