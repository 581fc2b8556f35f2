import type { IncomingMessage } from 'node:http';
import net, { type Socket } from 'node:net';

// CONNECT host:port: after "200 Connection Established" the proxy only copies bytes both ways, so it
// cannot see (or mark) what goes through; that is how HTTPS reaches providers through real proxies.

/** Splits a CONNECT authority (`host:port`, `[v6]:port`); undefined when malformed. */
export function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(authority);
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1] ?? match[2] ?? '', port };
}

/** Opens the tunnel; `onOpen` runs once the target accepted the connection. */
export function openTunnel(
  req: IncomingMessage,
  client: Socket,
  head: Buffer,
  track: (socket: Socket) => void,
  onOpen: () => void,
): void {
  const target = parseAuthority(req.url ?? '');
  if (target === undefined) {
    client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const upstream = net.connect({ host: target.host, port: target.port, noDelay: true });
  track(upstream);
  let opened = false;
  upstream.once('connect', () => {
    opened = true;
    onOpen();
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.once('error', () => {
    if (!opened && client.writable) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    } else {
      client.destroy();
    }
  });
  upstream.once('close', () => {
    if (opened) client.destroy();
  });
  client.once('error', () => upstream.destroy());
  client.once('close', () => upstream.destroy());
}
