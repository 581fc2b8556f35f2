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

/** Last resort for errors nothing else rendered: JSON, no stack trace. */
export function lastResortErrorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown: unknown, req, res, _next) => {
    const error = toAppError(thrown);
    if (error.code === 'INTERNAL') logger.error({ err: thrown, requestId: requestIdOf(res) }, 'unhandled error');
    if (res.headersSent) res.end();
    else sendClientError(res, protocolOfPath(req.path), error);
  };
}
