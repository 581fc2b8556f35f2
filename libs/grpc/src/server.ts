import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from '@aigw/logger';

export interface ServiceBinding {
  /** Fully qualified name for grpc.health.v1, e.g. "aigw.selector.v1.SelectorService". */
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
  /** Called when shutdown begins: long-lived streams (multiplexed RPCs) finish their calls and end. */
  drain?: () => void;
}

export interface GrpcServer {
  server: Server;
  /** Port actually bound (useful with port 0). */
  port: number;
  /** Marks the services NOT_SERVING, lets in-flight calls finish within `graceMs`, then forces. */
  shutdown(graceMs?: number): Promise<void>;
}

const SERVER_OPTIONS = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  'grpc.max_receive_message_length': 32 * 1024 * 1024,
  'grpc.max_send_message_length': 32 * 1024 * 1024,
};

/** Builds a gRPC server with our services and grpc.health.v1, binds it and reports SERVING. */
export async function startGrpcServer(address: string, services: ServiceBinding[], logger: Logger): Promise<GrpcServer> {
  const server = new Server(SERVER_OPTIONS);
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  health.addToServer(server);
  for (const service of services) server.addService(service.definition, service.implementation);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  for (const name of ['', ...services.map((s) => s.name)]) health.setStatus(name, 'SERVING');
  logger.info({ port }, 'grpc server listening');

  const shutdown = async (graceMs = 10_000) => {
    for (const name of ['', ...services.map((s) => s.name)]) health.setStatus(name, 'NOT_SERVING');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        logger.warn('grace period over, forcing grpc shutdown');
        server.forceShutdown();
        resolve();
      }, graceMs);
      // GOAWAY first, so that clients open replacement streams elsewhere; then let the streams wind down.
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
      for (const service of services) service.drain?.();
    });
  };
  return { server, port, shutdown };
}
