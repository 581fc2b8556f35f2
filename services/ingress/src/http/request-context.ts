import type { RequestHandler, Response } from 'express';
import type { IngressMetrics } from '../observability/ingress-metrics.js';
import { requestIdFor } from './request-id.js';

/** The request id of a response (set by requestContext for every request). */
export function requestIdOf(res: Response): string {
  return res.locals.requestId as string;
}

/**
 * The only middleware every request passes: gives it a request id (echoed in x-request-id, errors and 404s
 * included) and records the metrics when the response is done.
 */
export function requestContext(metrics: IngressMetrics): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdFor(req.headers['x-request-id']);
    const started = process.hrtime.bigint();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    res.once('close', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(route ? `${req.baseUrl}${route}` : 'unmatched', res.statusCode, seconds);
    });
    next();
  };
}
