import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// A proxy must not forward hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, and
// passing Proxy-Authorization on would leak the proxy password to the upstream.

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Copy of the headers without hop-by-hop ones, including those the Connection header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = headers.connection;
  const alsoDrop = named === undefined ? undefined : new Set(named.toLowerCase().split(',').map((h) => h.trim()));
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || alsoDrop?.has(name) === true) continue;
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
