import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { endToEndHeaders } from './hop-by-hop.js';

// Forwards one absolute-form request (`POST http://host/path HTTP/1.1`) over a pooled keep-alive
// connection and streams the response back as it arrives, so SSE passes through unbuffered. Failures
// propagate both ways: a client that goes away aborts the upstream request, and an upstream that dies
// mid-body breaks the client's body instead of ending it cleanly.

export interface ForwardAgents {
  http: http.Agent;
  https: https.Agent;
}

/** Keep-alive pools without a socket cap: the benchmark runs hundreds of requests in flight. */
export function createForwardAgents(): ForwardAgents {
  return {
    http: new http.Agent({ keepAlive: true, maxFreeSockets: 1024 }),
    https: new https.Agent({ keepAlive: true, maxFreeSockets: 1024 }),
  };
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(message) });
  res.end(message);
}

/** Forwards `req` to `target`, adding `x-emu-via-proxy: <proxyName>`. */
export function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  agents: ForwardAgents,
  proxyName: string,
): void {
  const secure = target.protocol === 'https:';
  const headers = endToEndHeaders(req.headers);
  headers['x-emu-via-proxy'] = proxyName;
  const upstream = (secure ? https : http).request({
    protocol: target.protocol,
    hostname: target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname,
    port: target.port === '' ? (secure ? 443 : 80) : Number(target.port),
    method: req.method,
    path: `${target.pathname}${target.search}`,
    headers,
    agent: secure ? agents.https : agents.http,
  });
  upstream.setNoDelay(true);

  upstream.once('response', (upRes) => {
    res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, endToEndHeaders(upRes.headers));
    // A streamed body (no length) may pause before its first byte: pass the headers on now, since
    // clients measure time to first byte. Sized bodies send them with the body, in one write.
    if (upRes.headers['content-length'] === undefined) res.flushHeaders();
    upRes.pipe(res);
    // pipe() does not propagate failures: an upstream dying mid-body must break the client's body too.
    upRes.once('error', () => res.destroy());
    upRes.once('close', () => {
      if (!upRes.complete) res.destroy();
    });
  });
  upstream.once('error', (err) => sendError(res, 502, `proxy could not reach ${target.host}: ${err.message}`));
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
