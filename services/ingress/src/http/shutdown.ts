import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

export interface ShutdownTimes {
  /** Serving on while not ready, so load balancers stop sending before the listener closes. */
  drainMs: number;
  /** After the drain: how long requests in flight get before their sockets are cut. */
  graceMs: number;
}

/**
 * ingress's serving state across a shutdown: serving → draining (/readyz 503, still serving, every answer
 * `Connection: close` so clients and balancers move their connections elsewhere) → closed (listener shut,
 * in-flight requests finishing, idle sockets closed).
 */
export class ShutdownGate {
  #draining = false;

  /** False from the first moment of shutdown; /readyz answers 503 then. */
  get accepting(): boolean {
    return !this.#draining;
  }

  /** Wraps the request listener: once draining, answers carry `Connection: close` and node closes the socket after them. */
  listener(inner: RequestListener): RequestListener {
    return (req: IncomingMessage, res: ServerResponse) => {
      if (this.#draining) res.setHeader('connection', 'close');
      inner(req, res);
    };
  }

  /**
   * The whole shutdown of the HTTP side (main.ts calls it on SIGTERM): not ready at once, serve for `drainMs`,
   * then stop accepting and give requests and streams in flight `graceMs` to finish.
   */
  async shutdown(server: Server, { drainMs, graceMs }: ShutdownTimes): Promise<void> {
    this.#draining = true;
    // Idle kept-alive sockets stay open through the drain: closing one races a request the client may be sending
    // on it (a reset); their next answer says `Connection: close` instead. closeGracefully closes the rest.
    if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
    await closeGracefully(server, graceMs);
  }
}

/**
 * Stops accepting connections and lets in-flight requests finish; idle keep-alive sockets are closed as they
 * become idle, and whatever still runs after `graceMs` is cut.
 */
async function closeGracefully(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweeper = setInterval(() => server.closeIdleConnections(), 250);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, graceMs);
  });
  server.closeIdleConnections();
  await Promise.race([closed, timeout]);
  clearInterval(sweeper);
  clearTimeout(timer);
}
