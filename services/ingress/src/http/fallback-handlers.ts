import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, toAppError } from '@aigw/errors';
import type { Logger } from '@aigw/logger';
import type { ClientProtocol } from '../protocol/client-protocol.js';
import { sendClientError } from './client-responses.js';
import { requestIdOf } from './request-context.js';

/** The protocol a path belongs to, for errors raised before any route claimed the request. */
export function protocolOfPath(path: string): ClientProtocol {
  if (path.startsWith('/v1beta/')) return 'gemini';
  if (path === '/v1/responses' || path.startsWith('/v1/responses/')) return 'responses';
  if (path.startsWith('/v1/embeddings')) return 'embeddings';
  return path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}

/** Anything no route claimed: a JSON 404, never express's HTML page. */
export const notFound: RequestHandler = (req, res) => {
  sendClientError(res, protocolOfPath(req.path), new AppError('NOT_FOUND', `no route for ${req.method} ${req.path}`));
};

/**
 * An error express's router raised before any handler ran, as the client's fault: a path parameter that is not
 * valid percent-encoding (`%E0%A4%A`) fails decodeURIComponent, and the router marks that URIError status 400.
 * Everything else is ours (500).
 */
export function routingErrorOf(thrown: unknown): AppError {
  if (thrown instanceof URIError && (thrown as URIError & { status?: number }).status === 400) {
    return new AppError('INVALID_REQUEST', 'the request path is not valid percent-encoding (RFC 3986 section 2.1)');
  }
  return toAppError(thrown);
}

/** Last resort for errors nothing else rendered: JSON, no stack trace. */
export function lastResortErrorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown: unknown, req, res, _next) => {
    const error = routingErrorOf(thrown);
    if (error.code === 'INTERNAL') logger.error({ err: thrown, requestId: requestIdOf(res) }, 'unhandled error');
    if (res.headersSent) res.end();
    else sendClientError(res, protocolOfPath(req.path), error);
  };
}
