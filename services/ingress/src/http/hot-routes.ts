import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { toAppError } from '@aigw/errors';
import type { Logger } from '@aigw/logger';
import type { IngressMetrics } from '../observability/ingress-metrics.js';
import type { NodeHandler } from './chat-handler.js';
import { sendClientError } from './client-responses.js';
import { protocolOfPath } from './fallback-handlers.js';
import { beginRequest, requestIdOf } from './request-context.js';

/** The path of a request URL, without its query. */
function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/**
 * Serves the proxied routes that carry nearly every client request (POST to an exact path) straight from
 * node's request listener, and hands everything else to the express app. express's own routing and request
 * wrapping cost about 90 µs of CPU per request, a fifth of what ingress spends on one; these routes need none
 * of it (their handlers take node's request and response). The app registers the same handlers, so a path
 * this table does not match exactly (another case, a trailing slash) is still served.
 */
export function withHotRoutes(
  app: RequestListener,
  routes: ReadonlyMap<string, NodeHandler>,
  metrics: IngressMetrics,
  logger: Logger,
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = req.method === 'POST' ? pathOf(req.url) : '';
    const handler = path === '' ? undefined : routes.get(path);
    if (handler === undefined) {
      app(req, res);
      return;
    }
    beginRequest(req, res, metrics, () => path);
    handler(req, res).catch((thrown: unknown) => {
      // The handlers answer every failure themselves; this is the last resort express would otherwise be.
      logger.error({ err: thrown, requestId: requestIdOf(res) }, 'unhandled error');
      if (res.headersSent) res.end();
      else sendClientError(res, protocolOfPath(path), toAppError(thrown));
    });
  };
}
