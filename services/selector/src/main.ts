import { busNames, connectBus } from '@aigw/bus';
import { loadConfig } from '@aigw/config';
import { createPrisma } from '@aigw/db';
import { onShutdownSignal, startGrpcServer } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { createRegistry, serveMetrics } from '@aigw/metrics';
import { createRedis } from '@aigw/redis';
import { selectorConfigSchema } from './config.js';
import { createSelectorApp } from './selector-app.js';

const config = loadConfig(selectorConfigSchema);
const logger = createLogger({ service: 'selector', level: config.LOG_LEVEL });

async function main(): Promise<void> {
  const prisma = createPrisma(config.DATABASE_URL);
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, clusterNodes: config.REDIS_CLUSTER_NODES });
  const nc = await connectBus(config.NATS_URL, 'selector');
  const app = await createSelectorApp({
    prisma,
    redis,
    nc,
    names: busNames(config.NATS_SUBJECT_PREFIX, config.NATS_LOG_STREAM),
    logger,
    accountRefreshMs: config.ACCOUNT_REFRESH_MS,
    cooldown: { baseMs: config.COOLDOWN_BASE_MS, maxMs: config.COOLDOWN_MAX_MS, authFailureMs: config.AUTH_FAILURE_COOLDOWN_MS },
  });
  const grpc = await startGrpcServer(`${config.GRPC_HOST}:${config.GRPC_PORT}`, [app.binding], logger);
  const metrics = config.METRICS_PORT > 0 ? await serveMetrics(createRegistry('selector'), config.METRICS_PORT) : undefined;

  onShutdownSignal(logger, async () => {
    await grpc.shutdown(config.SHUTDOWN_GRACE_MS);
    app.close();
    metrics?.server.close();
    await Promise.allSettled([nc.drain(), redis.quit(), prisma.$disconnect()]);
  });
  logger.info({ port: grpc.port, metricsPort: metrics?.port }, 'ready');
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'selector failed to start');
  logger.flush();
  process.exit(1);
});
