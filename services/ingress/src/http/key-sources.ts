import type { IncomingMessage } from 'node:http';
import type { KeySources } from '../keys/authenticate-client.js';
import type { ClientProtocol } from '../protocol/client-protocol.js';

/**
 * Where this request's key may be: the key headers everywhere, and `?key=` on the Gemini routes (whose
 * requests come through express, which parsed the query).
 */
export function keySources(req: IncomingMessage & { query?: unknown }, protocol: ClientProtocol): KeySources {
  return protocol === 'gemini' ? { headers: req.headers, query: (req.query ?? {}) as { key?: unknown } } : { headers: req.headers };
}
