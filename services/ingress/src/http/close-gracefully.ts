import type { Server } from 'node:http';

/**
 * Stops accepting connections and lets in-flight requests finish; idle keep-alive sockets are closed as they
 * become idle, and whatever still runs after `graceMs` is cut.
 */
export async function closeGracefully(server: Server, graceMs: number): Promise<void> {
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
