import type { Http2Server, ServerHttp2Session } from 'node:http2';
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

// Clients ping every 10 s, calls or not (client.ts); a server that enforced a longer interval would answer with
// GOAWAY "too_many_pings" (grpc-js servers do not enforce it today, other implementations in between may).
const SERVER_OPTIONS = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
  'grpc.max_receive_message_length': 32 * 1024 * 1024,
  'grpc.max_send_message_length': 32 * 1024 * 1024,
};

/**
 * HTTP/2 receive window of a server's connections and streams. HTTP/2's default (64 KB) lets a sender have 64 KB
 * in flight, then wait for the receiver's WINDOW_UPDATE: a 1 MB request (an agent's conversation, which takes its
 * own Invoke call) needed some 30 round trips between two event loops, each a wake-up on a busy host; measured,
 * 0.3–1.5 s on a loaded 2-core machine. With a window above the largest message it goes in one flight.
 */
export const HTTP2_WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * grpc-js has no server option for the receive window (its clients have `grpc-node.flow_control_window`), so it
 * is set where grpc-js keeps the HTTP/2 server settings and on each new session (the connection's own window).
 */
function widenReceiveWindow(server: Server): void {
  const internals = server as unknown as { commonServerOptions?: { settings?: Record<string, unknown> } };
  if (internals.commonServerOptions === undefined) return;
  internals.commonServerOptions.settings = { ...internals.commonServerOptions.settings, initialWindowSize: HTTP2_WINDOW_BYTES };
}

function widenSessionWindows(server: Server): void {
  const http2Servers = (server as unknown as { http2Servers?: Map<Http2Server, unknown> }).http2Servers;
  for (const http2Server of http2Servers?.keys() ?? []) {
    http2Server.on('session', (session: ServerHttp2Session) => {
      try {
        session.setLocalWindowSize(HTTP2_WINDOW_BYTES);
      } catch {
        // A session that is already closing keeps its window; nothing else depends on it.
      }
    });
  }
}

/** Builds a gRPC server with our services and grpc.health.v1, binds it and reports SERVING. */
export async function startGrpcServer(address: string, services: ServiceBinding[], logger: Logger): Promise<GrpcServer> {
  const server = new Server(SERVER_OPTIONS);
  widenReceiveWindow(server);
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  health.addToServer(server);
  for (const service of services) server.addService(service.definition, service.implementation);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  widenSessionWindows(server);
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
