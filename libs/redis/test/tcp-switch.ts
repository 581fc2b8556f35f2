import { connect, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes held back while paused, per direction. */
  toUpstream: Buffer[];
  toClient: Buffer[];
}

/**
 * A TCP forwarder a test puts between a service and Redis: `off()` cuts every connection and refuses new ones,
 * `pause()` keeps connections open (and accepts new ones) but forwards nothing until `on()` (a stalled server).
 * Until the common fault harness (test/faults/support) is on this branch, the service tests use this copy.
 */
export class TcpSwitch {
  private server: Server | undefined;
  private readonly pairs = new Set<Pair>();
  private paused = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Forwards again (after off or pause); the first call picks a free port, later calls reuse it. */
  async on(): Promise<number> {
    this.paused = false;
    for (const pair of this.pairs) this.flush(pair);
    if (this.server !== undefined) return this.port;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
    return this.port;
  }

  /** Cuts every open connection and refuses new ones. */
  async off(): Promise<void> {
    this.paused = false;
    const server = this.server;
    this.server = undefined;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Keeps every connection open and accepts new ones, but holds all bytes back until on(). */
  pause(): void {
    this.paused = true;
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, this.targetHost);
    const pair: Pair = { client, upstream, toUpstream: [], toClient: [] };
    this.pairs.add(pair);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', close);
    }
    client.on('data', (chunk: Buffer) => {
      if (this.paused) pair.toUpstream.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.paused) pair.toClient.push(chunk);
      else client.write(chunk);
    });
  }

  private flush(pair: Pair): void {
    for (const chunk of pair.toUpstream.splice(0)) pair.upstream.write(chunk);
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  }
}
