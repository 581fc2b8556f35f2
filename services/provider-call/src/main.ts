import { busNames, busAccess, connectBus } from '@aigw/bus';
import { loadConfig } from '@aigw/config';
import { createPrisma, dbPoolUsage } from '@aigw/db';
import { EgressPolicy } from '@aigw/egress';
import { runGrpcService } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { registerDbPoolMetrics } from '@aigw/metrics';
import { createRedis, redisAccess } from '@aigw/redis';
import { configSchema } from './config.js';
import { createProviderCallApp } from './provider-call-app.js';

const config = loadConfig(configSchema);
const logger = createLogger({ service: 'provider-call', level: config.LOG_LEVEL });

runGrpcService('provider-call', config, logger, async (registry) => {
  const prisma = createPrisma(config.DATABASE_URL);
  registerDbPoolMetrics(registry, () => dbPoolUsage(prisma));
  const redis = createRedis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    clusterNodes: config.REDIS_CLUSTER_NODES,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    access: redisAccess(config),
    logger,
  });
  const nc = await connectBus(config.NATS_URL, 'provider-call', busAccess(config));
  const app = await createProviderCallApp({
    prisma,
    redis,
    nc,
    names: busNames(config.NATS_SUBJECT_PREFIX, config.NATS_LOG_STREAM),
    logger,
    registry,
    upstream: {
      callTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
      streamIdleTimeoutMs: config.STREAM_IDLE_TIMEOUT_MS,
      maxConnections: config.UPSTREAM_MAX_CONNECTIONS,
      keepAliveMs: config.UPSTREAM_KEEPALIVE_MS,
    },
    proxyRefreshMs: config.PROXY_REFRESH_MS,
    proxyHealthFlushMs: config.PROXY_HEALTH_FLUSH_MS,
    proxyProbe: { intervalMs: config.PROXY_PROBE_INTERVAL_MS, url: config.PROXY_PROBE_URL, timeoutMs: config.PROXY_PROBE_TIMEOUT_MS },
    egress: EgressPolicy.fromConfig(config),
  });
  return {
    bindings: [app.binding],
    close: async () => {
      await app.close();
      await Promise.allSettled([nc.drain(), redis.quit(), prisma.$disconnect()]);
    },
  };
});
