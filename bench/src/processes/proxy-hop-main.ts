import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
// undici comes hoisted from the services' dependencies; it is the HTTP client provider-call uses.
import { Pool } from 'undici';

// The least a Node gateway can do: a bare node:http server that forwards every request, body streamed, to
// one upstream through a keep-alive undici Pool, and streams the answer back. No parsing, no logging. It is
// the floor for "one Node hop" that the gateway's own overhead is judged against.
// Env: UPSTREAM_URL (required), PORT (0 = free port). Prints `{"ready":true,"url":…}` once listening.

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

function forwardable(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

const upstreamUrl = process.env['UPSTREAM_URL'];
if (!upstreamUrl) {
  console.error('UPSTREAM_URL is required');
  process.exit(1);
}
// Unbounded connections (like Portkey's fetch): S3 holds 1000 requests in flight at 200 ms each.
const pool = new Pool(upstreamUrl, { connections: null, pipelining: 1, keepAliveTimeout: 60_000 });

const server = createServer({ noDelay: true }, (req, res) => {
  pool
    .request({ method: req.method as 'POST', path: req.url ?? '/', headers: forwardable(req.headers), body: req })
    .then(({ statusCode, headers, body }) => {
      res.writeHead(statusCode, forwardable(headers));
      body.pipe(res);
      body.once('error', () => res.destroy());
    })
    .catch(() => {
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":{"message":"upstream unreachable"}}');
    });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.requestTimeout = 0;
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
const close = () => {
  server.close();
  server.closeAllConnections();
  void pool.close().then(() => process.exit(0));
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
