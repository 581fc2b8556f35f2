import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { closeServer, listen, tuneForKeepAlive } from '../http/server-lifecycle.js';
import { openTunnel } from './connect-tunnel.js';
import { createForwardAgents, forwardRequest } from './http-forwarding.js';
import { upstreamCredential } from './upstream-credential.js';

// A real HTTP forward proxy, so the gateway's proxy pool can be tested end to end: absolute-form
// requests are forwarded (and marked with x-emu-via-proxy, so the upstream emulator records which
// proxy a request took), CONNECT is tunnelled, and Basic proxy auth is enforced when configured.
// Origin-form control routes: GET /_emu/stats, DELETE /_emu/stats (= reset()).

export interface ForwardProxyOptions {
  /** Written into x-emu-via-proxy on every forwarded request. */
  name: string;
  host?: string;
  port?: number;
  /** With username (and password), requests without matching `Proxy-Authorization: Basic` get 407. */
  username?: string;
  password?: string;
}

export interface ForwardProxyStats {
  /** Absolute-form requests forwarded. */
  requests: number;
  /** CONNECT tunnels opened. */
  tunnels: number;
  /** Forwarded requests per upstream credential (bearer token, x-api-key or x-goog-api-key). */
  byCredential: Record<string, number>;
}

export interface ForwardProxy {
  /** `http://user:pass@host:port` when credentials are set, else `http://host:port`. */
  url: string;
  name: string;
  close(): Promise<void>;
  stats(): ForwardProxyStats;
  reset(): void;
  /**
   * While failing, the proxy resets every connection at once (open ones included), as a crashed or unreachable
   * proxy would look to its clients; false makes it work again on the same address.
   */
  setFailing(failing: boolean): void;
}

/** True when the Proxy-Authorization header carries exactly username:password. */
function authorized(req: IncomingMessage, username: string, password: string): boolean {
  const header = req.headers['proxy-authorization'];
  if (header === undefined || !/^basic /i.test(header)) return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  return decoded === `${username}:${password}`;
}

/** Starts a forward proxy. */
export async function startForwardProxy(opts: ForwardProxyOptions): Promise<ForwardProxy> {
  const host = opts.host ?? '127.0.0.1';
  const { name, username } = opts;
  const password = opts.password ?? '';
  const agents = createForwardAgents();
  const tunnelSockets = new Set<Socket>();
  let requests = 0;
  let tunnels = 0;
  let byCredential = new Map<string, number>();

  const allowed = (req: IncomingMessage): boolean => username === undefined || authorized(req, username, password);

  function stats(): ForwardProxyStats {
    return { requests, tunnels, byCredential: Object.fromEntries(byCredential) };
  }

  function reset(): void {
    requests = 0;
    tunnels = 0;
    byCredential = new Map();
  }

  function control(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const pathname = (req.url ?? '/').split('?', 1)[0];
    let status = 200;
    let body: unknown;
    if (req.method === 'GET' && pathname === '/_emu/stats') body = stats();
    else if (req.method === 'DELETE' && pathname === '/_emu/stats') {
      reset();
      body = stats();
    } else {
      status = 400;
      body = { error: 'this is a forward proxy: send absolute-form requests (GET http://host/path) or CONNECT' };
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  const server = createServer({ noDelay: true }, (req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/')) return control(req, res);
    if (!allowed(req)) {
      req.resume();
      res.writeHead(407, { 'proxy-authenticate': `Basic realm="${name}"`, 'content-length': 0 });
      res.end();
      return;
    }
    let target: URL;
    try {
      target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError('unsupported scheme');
    } catch {
      req.resume();
      res.writeHead(400, { 'content-length': 0 });
      res.end();
      return;
    }
    requests++;
    const credential = upstreamCredential(req.headers);
    if (credential !== undefined) byCredential.set(credential, (byCredential.get(credential) ?? 0) + 1);
    forwardRequest(req, res, target, agents, name);
  });

  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!allowed(req)) {
      socket.end(`HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="${name}"\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const track = (s: Socket): void => {
      tunnelSockets.add(s);
      s.once('close', () => tunnelSockets.delete(s));
    };
    track(socket);
    openTunnel(req, socket, head, track, () => tunnels++);
  });

  const sockets = new Set<Socket>();
  let failing = false;
  server.on('connection', (socket: Socket) => {
    if (failing) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  tuneForKeepAlive(server);
  const port = await listen(server, host, opts.port ?? 0);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const auth = username === undefined ? '' : `${encodeURIComponent(username)}:${encodeURIComponent(password)}@`;

  return {
    url: `http://${auth}${hostPart}:${port}`,
    name,
    async close() {
      for (const s of tunnelSockets) s.destroy();
      await closeServer(server);
      agents.http.destroy();
      agents.https.destroy();
    },
    stats,
    reset,
    setFailing(on) {
      failing = on;
      if (!on) return;
      for (const s of [...sockets, ...tunnelSockets]) s.destroy();
    },
  };
}
