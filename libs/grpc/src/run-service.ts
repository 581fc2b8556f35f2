import type { Logger } from '@aigw/logger';
import { createRegistry, serveMetrics, type Registry } from '@aigw/metrics';
import { countGrpcCalls } from './call-metrics.js';
import { startGrpcServer, type ServiceBinding } from './server.js';
import { onShutdownSignal } from './signals.js';
import { startTracing } from '@aigw/tracing';

export interface GrpcServiceSettings {
  GRPC_HOST: string;
  GRPC_PORT: number;
  METRICS_PORT: number;
  METRICS_HOST: string;
  SHUTDOWN_GRACE_MS: number;
}

export interface StartedService {
  bindings: ServiceBinding[];
  /** Releases what `start` opened (caches, timers, connections), after the gRPC server has drained. */
  close(): Promise<void>;
}

/**
 * The lifecycle of a gRPC backend process: build the service, serve it with health checks (and /metrics when
 * METRICS_PORT is set), log `ready`, drain on SIGTERM/SIGINT, and exit 1 with one fatal line if start fails.
 */
export function runGrpcService(
  name: string,
  settings: GrpcServiceSettings,
  logger: Logger,
  start: (registry: Registry) => Promise<StartedService>,
): void {
  const run = async () => {
    // OpenTelemetry, from the standard OTEL_* settings (README "Tracing"); off unless an OTLP endpoint is set.
    const tracing = await startTracing(name);
    const registry = createRegistry(name);
    countGrpcCalls(registry);
    const service = await start(registry);
    const grpc = await startGrpcServer(`${settings.GRPC_HOST}:${settings.GRPC_PORT}`, service.bindings, logger);
    const metrics = settings.METRICS_PORT > 0 ? await serveMetrics(registry, settings.METRICS_PORT, settings.METRICS_HOST) : undefined;
    onShutdownSignal(logger, async () => {
      await grpc.shutdown(settings.SHUTDOWN_GRACE_MS);
      metrics?.server.close();
      await service.close();
      await tracing.shutdown();
    });
    logger.info({ port: grpc.port, metricsPort: metrics?.port, tracing: tracing.enabled }, 'ready');
  };
  run().catch((error: unknown) => {
    logger.fatal({ err: error }, `${name} failed to start`);
    logger.flush();
    process.exit(1);
  });
}
