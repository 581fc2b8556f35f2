import { busNames, connectBus } from '@aigw/bus';
import { loadConfig } from '@aigw/config';
import { createPrisma } from '@aigw/db';
import { onShutdownSignal, startGrpcServer } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { createRegistry, serveMetrics } from '@aigw/metrics';
import { createRedis } from '@aigw/redis';
import { CredentialCipher } from '@aigw/secrets';
import { createAuthApp } from './auth-app.js';
import { authConfigSchema } from './config.js';

const config = loadConfig(authConfigSchema);
const logger = createLogger({ service: 'auth', level: config.LOG_LEVEL });

async function main(): Promise<void> {
  const prisma = createPrisma(config.DATABASE_URL);
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, clusterNodes: config.REDIS_CLUSTER_NODES });
  const nc = await connectBus(config.NATS_URL, 'auth');
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
    },
    credentialCacheTtlMs: config.CREDENTIAL_CACHE_TTL_MS,
  });
  // Fail at start, not on the first request, when MySQL is unreachable.
  await prisma.$queryRaw`SELECT 1`;
  const grpc = await startGrpcServer(`${config.GRPC_HOST}:${config.GRPC_PORT}`, [app.binding], logger);
  const metrics = config.METRICS_PORT > 0 ? await serveMetrics(createRegistry('auth'), config.METRICS_PORT) : undefined;

  onShutdownSignal(logger, async () => {
    await grpc.shutdown(config.SHUTDOWN_GRACE_MS);
    app.close();
    metrics?.server.close();
    await Promise.allSettled([nc.drain(), redis.quit(), prisma.$disconnect()]);
  });
  logger.info({ port: grpc.port, metricsPort: metrics?.port }, 'ready');
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'auth failed to start');
  logger.flush();
  process.exit(1);
});
