import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { IngressMetrics } from '../observability/ingress-metrics.js';
import { clientRequestIdOf, newRequestId } from './request-id.js';

const REQUEST_ID = Symbol('requestId');
const CLIENT_REQUEST_ID = Symbol('clientRequestId');
type WithRequestId = ServerResponse & { [REQUEST_ID]?: string; [CLIENT_REQUEST_ID]?: string };

/** The response header that echoes the client's own id (its x-request-id) back. */
export const CLIENT_REQUEST_ID_HEADER = 'x-client-request-id';

/** The gateway's id of a response's request (set by beginRequest for every request). */
export function requestIdOf(res: ServerResponse): string {
  return (res as WithRequestId)[REQUEST_ID] ?? '';
}

/** The client's own id for the request ('' when it sent none that is safe), see clientRequestIdOf. */
export function clientRequestIdOfResponse(res: ServerResponse): string {
  return (res as WithRequestId)[CLIENT_REQUEST_ID] ?? '';
}

/**
 * What every request gets before its handler runs: the gateway's own request id (in x-request-id, errors and
 * 404s included), the client's id kept apart and echoed in x-client-request-id, and the metrics recorded under `route()` (asked once the response is done) when it closes.
 */
export function beginRequest(req: IncomingMessage, res: ServerResponse, metrics: IngressMetrics, route: () => string): string {
  const requestId = newRequestId();
  const clientRequestId = clientRequestIdOf(req.headers);
  const started = performance.now();
  (res as WithRequestId)[REQUEST_ID] = requestId;
  (res as WithRequestId)[CLIENT_REQUEST_ID] = clientRequestId;
  res.setHeader('x-request-id', requestId);
  if (clientRequestId !== '') res.setHeader(CLIENT_REQUEST_ID_HEADER, clientRequestId);
  res.once('close', () => metrics.observeRequest(route(), res.statusCode, (performance.now() - started) / 1000));
  return requestId;
}

/** beginRequest as the first express middleware, naming the route express matched. */
export function requestContext(metrics: IngressMetrics): RequestHandler {
  return (req, res, next) => {
    res.locals.requestId = beginRequest(req, res, metrics, () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      return route ? `${req.baseUrl}${route}` : 'unmatched';
    });
    next();
  };
}
