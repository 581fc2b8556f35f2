import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { IngressMetrics } from '../observability/ingress-metrics.js';
import { requestIdFor } from './request-id.js';

const REQUEST_ID = Symbol('requestId');
type WithRequestId = ServerResponse & { [REQUEST_ID]?: string };

/** The request id of a response (set by beginRequest for every request). */
export function requestIdOf(res: ServerResponse): string {
  return (res as WithRequestId)[REQUEST_ID] ?? '';
}

/**
 * What every request gets before its handler runs: a request id (echoed in x-request-id, errors and 404s
 * included), and the metrics recorded under `route()` (asked once the response is done) when it closes.
 */
export function beginRequest(req: IncomingMessage, res: ServerResponse, metrics: IngressMetrics, route: () => string): string {
  const requestId = requestIdFor(req.headers['x-request-id']);
  const started = performance.now();
  (res as WithRequestId)[REQUEST_ID] = requestId;
  res.setHeader('x-request-id', requestId);
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
