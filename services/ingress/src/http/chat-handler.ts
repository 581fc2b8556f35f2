import type { RequestHandler } from 'express';
import { AppError, toAppError } from '@aigw/errors';
import type { Logger } from '@aigw/logger';
import type { ApiKeyCache } from '../keys/api-key-cache.js';
import { authenticateClient } from '../keys/authenticate-client.js';
import type { ClientRateLimiter } from '../keys/client-rate-limit.js';
import type { IngressMetrics } from '../observability/ingress-metrics.js';
import type { ClientProtocol } from '../protocol/client-protocol.js';
import { errorEvent } from '../protocol/error-shape.js';
import { validateChatBody } from '../protocol/validate-body.js';
import type { AttemptLoop } from '../proxying/attempt-loop.js';
import { newTrace } from '../proxying/backends.js';
import { appErrorClass, upstreamErrorClass } from '../proxying/retry-policy.js';
import { requestLogEvent, type RequestLogSink, type RequestSummary } from '../request-log/request-log-event.js';
import type { RouteCache } from '../routing/route-cache.js';
import { sendClientError, sendUpstreamBody } from './client-responses.js';
import type { JsonBodyReader } from './read-json-body.js';
import { requestIdOf } from './request-context.js';
import { sseSink } from './sse-sink.js';

/** What the chat routes need; main.ts wires the real ones, tests pass fakes. */
export interface ChatDeps {
  apiKeys: ApiKeyCache;
  rateLimiter: ClientRateLimiter;
  routes: RouteCache;
  attemptLoop: AttemptLoop;
  readBody: JsonBodyReader;
  requestLog: RequestLogSink;
  metrics: IngressMetrics;
  logger: Logger;
  requestTimeoutMs: number;
}

/**
 * POST /v1/chat/completions and /v1/messages: key → rate limit → one body parse → validation → route →
 * attempt loop; every outcome answered in the client's protocol and logged once.
 */
export function chatHandler(protocol: ClientProtocol, deps: ChatDeps): RequestHandler {
  return async (req, res) => {
    const startedAtMs = Date.now();
    const requestId = requestIdOf(res);
    const trace = newTrace();
    const summary: RequestSummary = {
      requestId,
      protocol,
      apiKeyId: 0,
      model: '',
      stream: false,
      statusCode: 500,
      errorClass: '',
      startedAtMs,
      finishedAtMs: 0,
    };
    const clientGone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });
    try {
      const key = await authenticateClient(deps.apiKeys, req.headers);
      summary.apiKeyId = key.id;
      await deps.rateLimiter.check(key);
      const body = await deps.readBody(req, res);
      const { model, stream } = validateChatBody(protocol, body.value);
      summary.model = model;
      summary.stream = stream;
      const route = deps.routes.resolve(model);
      const outcome = await deps.attemptLoop.run(
        { requestId, protocol, body: body.raw, route, stream, deadline: startedAtMs + deps.requestTimeoutMs, signal: clientGone.signal },
        trace,
        stream ? sseSink(res) : undefined,
      );
      summary.statusCode = outcome.status;
      summary.errorClass = trace.errorClass || (outcome.status >= 400 ? upstreamErrorClass(outcome.status) : '');
      if (outcome.kind === 'response') {
        sendUpstreamBody(res, outcome.status, outcome.body, outcome.retryAfterMs, trace.droppedFields);
      }
    } catch (thrown) {
      const error = clientGone.signal.aborted ? new AppError('CANCELLED', 'client closed the request') : toAppError(thrown);
      summary.statusCode = error.httpStatus;
      summary.errorClass = appErrorClass(error);
      if (error.code === 'INTERNAL') deps.logger.error({ requestId, err: thrown }, 'request failed');
      if (!res.headersSent) sendClientError(res, protocol, error);
      else if (!res.writableEnded) res.end(errorEvent(protocol, error));
    } finally {
      summary.finishedAtMs = Date.now();
      deps.requestLog.publish(requestLogEvent(summary, trace));
      deps.metrics.countAttempts(trace.providerId, trace.attempts);
    }
  };
}
