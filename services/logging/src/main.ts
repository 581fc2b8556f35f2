import { busNames, busAccess, connectBus } from '@aigw/bus';
import { loadConfig } from '@aigw/config';
import { createPrismaWithLiterals, dbPoolUsage } from '@aigw/db';
import { onShutdownSignal } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { createRegistry, registerDbPoolMetrics, serveMetrics } from '@aigw/metrics';
import { loggingConfigSchema } from './config.js';
import { createLoggingMetrics, registerConsumerMetrics } from './observability/logging-metrics.js';
import { createServer } from './server.js';

const config = loadConfig(loggingConfigSchema, process.env);
const logger = createLogger({ service: 'logging', level: config.LOG_LEVEL });

async function main(): Promise<void> {
  const names = busNames(config.NATS_SUBJECT_PREFIX, config.NATS_LOG_STREAM);
  const nc = await connectBus(config.NATS_URL, 'aigw-logging', busAccess(config));
  const db = createPrismaWithLiterals(config.DATABASE_URL, { connectionLimit: config.DB_POOL_SIZE });
  const registry = createRegistry('logging');
  registerDbPoolMetrics(registry, () => dbPoolUsage(db.prisma));
  const jsm = await nc.jetstreamManager();
  registerConsumerMetrics(registry, async () => {
    const info = await jsm.consumers.info(names.logStream, names.logConsumer);
    return { pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered };
  });
  const server = createServer({ nc, db, names, logger, config, metrics: createLoggingMetrics(registry) });

  const metricsServer = config.METRICS_PORT > 0 ? await serveMetrics(registry, config.METRICS_PORT, config.METRICS_HOST) : undefined;
  onShutdownSignal(logger, async () => {
    await server.stop();
    metricsServer?.server.close();
    // drain() flushes the acks of the last batch before closing.
    await nc.drain();
    await db.prisma.$disconnect();
  });

  await server.start();
  logger.info(
    { stream: names.logStream, subject: names.logSubject, consumer: names.logConsumer, metricsPort: metricsServer?.port ?? 0 },
    'ready',
  );
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'logging service failed to start');
  logger.flush();
  process.exit(1);
});
