import { createServer, connect, type Server, type Socket } from 'node:net';

type Mode = 'on' | 'paused' | 'off';

interface Link {
  client: Socket;
  upstream: Socket;
  piped: boolean;
}

/**
 * A TCP forwarder between the services and one of the machine's shared servers (Redis, MySQL, NATS), which a
 * test switches to fail that dependency without ever touching the shared server itself:
 * - `off()` cuts every open connection and refuses new ones (the server is gone, a network partition with RST);
 * - `pause()` keeps connections open, accepts new ones, and forwards nothing either way (a stalled server, a
 *   black-holed network: nothing is refused, nothing answers);
 * - `on()` forwards again (after a pause, what was held back flows on, as after a stall).
 */
export class TcpSwitch {
  private server: Server | undefined;
  private readonly links = new Set<Link>();
  private mode: Mode = 'off';
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** `host:port` of the forwarder (valid after the first `on()`). */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts or resumes forwarding; the first call picks a free port, later calls reuse it. */
  async on(): Promise<number> {
    if (this.mode === 'paused') {
      this.mode = 'on';
      for (const link of this.links) this.pipe(link);
      return this.port;
    }
    if (this.server !== undefined) return this.port;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
    this.mode = 'on';
    return this.port;
  }

  /** Holds every connection open and forwards nothing, until `on()`. */
  pause(): void {
    if (this.mode !== 'on') throw new Error(`TcpSwitch.pause(): switch is ${this.mode}`);
    this.mode = 'paused';
    for (const link of this.links) this.unpipe(link);
  }

  /** Cuts every open connection and refuses new ones. */
  async off(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.mode = 'off';
    for (const link of this.links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    this.links.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, this.targetHost);
    const link: Link = { client, upstream, piped: false };
    this.links.add(link);
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.links.delete(link);
        client.destroy();
        upstream.destroy();
      });
    }
    if (this.mode === 'on') this.pipe(link);
    else client.pause();
  }

  private pipe(link: Link): void {
    if (link.piped) return;
    link.piped = true;
    link.client.pipe(link.upstream);
    link.upstream.pipe(link.client);
    link.client.resume();
    link.upstream.resume();
  }

  private unpipe(link: Link): void {
    if (!link.piped) return;
    link.piped = false;
    link.client.unpipe(link.upstream);
    link.upstream.unpipe(link.client);
    link.client.pause();
    link.upstream.pause();
  }
}
