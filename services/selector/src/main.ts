import { busNames, busAccess, connectBus } from '@aigw/bus';
import { loadConfig } from '@aigw/config';
import { createPrisma, dbPoolUsage } from '@aigw/db';
import { runGrpcService } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { registerDbPoolMetrics } from '@aigw/metrics';
import { createRedis, redisAccess } from '@aigw/redis';
import { selectorConfigSchema } from './config.js';
import { createSelectorApp } from './selector-app.js';

const config = loadConfig(selectorConfigSchema);
const logger = createLogger({ service: 'selector', level: config.LOG_LEVEL });

runGrpcService('selector', config, logger, async (registry) => {
  const prisma = createPrisma(config.DATABASE_URL);
  registerDbPoolMetrics(registry, () => dbPoolUsage(prisma));
  const redis = createRedis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    clusterNodes: config.REDIS_CLUSTER_NODES,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    access: redisAccess(config),
    logger,
  });
  const nc = await connectBus(config.NATS_URL, 'selector', busAccess(config));
  const app = await createSelectorApp({
    prisma,
    redis,
    nc,
    names: busNames(config.NATS_SUBJECT_PREFIX, config.NATS_LOG_STREAM),
    logger,
    registry,
    accountRefreshMs: config.ACCOUNT_REFRESH_MS,
    affinityTtlMs: config.AFFINITY_TTL_MS,
    cooldown: { baseMs: config.COOLDOWN_BASE_MS, maxMs: config.COOLDOWN_MAX_MS, authFailureMs: config.AUTH_FAILURE_COOLDOWN_MS },
  });
  return {
    bindings: [app.binding],
    close: async () => {
      app.close();
      await Promise.allSettled([nc.drain(), redis.quit(), prisma.$disconnect()]);
    },
  };
});
