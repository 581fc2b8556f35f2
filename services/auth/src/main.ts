import { busNames, busAccess, connectBus } from '@aigw/bus';
import { loadConfig } from '@aigw/config';
import { createPrisma, dbPoolUsage } from '@aigw/db';
import { EgressPolicy } from '@aigw/egress';
import { runGrpcService } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { registerDbPoolMetrics } from '@aigw/metrics';
import { createRedis, redisAccess } from '@aigw/redis';
import { CredentialCipher } from '@aigw/secrets';
import { createAuthApp } from './auth-app.js';
import { authConfigSchema } from './config.js';

const config = loadConfig(authConfigSchema);
const logger = createLogger({ service: 'auth', level: config.LOG_LEVEL });

runGrpcService('auth', config, logger, async (registry) => {
  const prisma = createPrisma(config.DATABASE_URL);
  registerDbPoolMetrics(registry, () => dbPoolUsage(prisma));
  const redis = createRedis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    clusterNodes: config.REDIS_CLUSTER_NODES,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    access: redisAccess(config),
    logger,
  });
  const nc = await connectBus(config.NATS_URL, 'auth', busAccess(config));
  const app = createAuthApp({
    prisma,
    redis,
    nc,
    names: busNames(config.NATS_SUBJECT_PREFIX, config.NATS_LOG_STREAM),
    cipher: new CredentialCipher(config.AIGW_ENCRYPTION_KEY),
    logger,
    oauth: {
      marginMs: config.OAUTH_REFRESH_MARGIN_MS,
      tokenTimeoutMs: config.OAUTH_TOKEN_TIMEOUT_MS,
      lockTtlMs: config.OAUTH_LOCK_TTL_MS,
      lockWaitMs: config.OAUTH_LOCK_WAIT_MS,
      pollMs: config.OAUTH_LOCK_POLL_MS,
      refreshWaitMs: config.OAUTH_REFRESH_WAIT_MS,
      backoff: { baseMs: config.OAUTH_BACKOFF_BASE_MS, maxMs: config.OAUTH_BACKOFF_MAX_MS },
    },
    registry,
    credentialCacheTtlMs: config.CREDENTIAL_CACHE_TTL_MS,
    egress: EgressPolicy.fromConfig(config),
  });
  // Fail at start, not on the first request, when MySQL is unreachable.
  await prisma.$queryRaw`SELECT 1`;
  return {
    bindings: [app.binding],
    close: async () => {
      app.close();
      await Promise.allSettled([nc.drain(), redis.quit(), prisma.$disconnect()]);
    },
  };
});
