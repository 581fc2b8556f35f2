import { createServer, type RequestListener, type Server } from 'node:http';

export interface HttpTimeouts {
  /** First byte of a request → its headers complete (slow-header clients get 408 and a closed socket). */
  headersTimeoutMs: number;
  /** First byte → the whole request received, body included; never bounds the answer. */
  requestTimeoutMs: number;
  /** Idle time of a kept-alive connection between requests. */
  keepAliveTimeoutMs: number;
}

/**
 * node checks header and request deadlines on a timer (30 s by default), so a 10 s headers timeout could hold a
 * slow-header socket for 40 s; a quarter of the shortest deadline (at most 1 s) keeps the overshoot small for
 * the price of one walk over the open connections.
 */
function checkingIntervalMs({ headersTimeoutMs, requestTimeoutMs }: HttpTimeouts): number {
  return Math.max(50, Math.min(1_000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4)));
}

/** ingress's HTTP server with its timeouts set deliberately (README "Failure behaviour"); not listening yet. */
export function createHttpServer(listener: RequestListener, timeouts: HttpTimeouts): Server {
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(timeouts),
    },
    listener,
  );
  // Set again in case this node version ignores the option: the default (5 s) is shorter than any balancer's
  // idle timeout, and a kept-alive socket closed under the balancer's next request turns into a 502.
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}

/** Listens and resolves once the port is bound (port 0: a free one). */
export async function listen(server: Server, port: number, host: string): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
