import type { RequestHandler } from 'express';
import { collectClientHeaders } from '@aigw/client-headers';
import { AppError, toAppError } from '@aigw/errors';
import type { Span } from '@aigw/tracing';
import { authenticateClient } from '../keys/authenticate-client.js';
import { newTrace } from '../proxying/backends.js';
import { appErrorClass, upstreamErrorClass } from '../proxying/retry-policy.js';
import { newRequestSummary, requestLogEvent } from '../request-log/request-log-event.js';
import { UNBOUNDED_ADMISSION, type Release } from './admission-gate.js';
import type { ChatDeps } from './chat-handler.js';
import type { CountTokensEndpoint } from './chat-endpoints.js';
import { sendClientError, sendUpstreamBody } from './client-responses.js';
import { keySources } from './key-sources.js';
import { clientRequestIdOfResponse, requestIdOf } from './request-context.js';
import { endRequestSpan, inRequestSpan } from './request-span.js';

/** Says whether a count is the provider's own (`exact`) or a local tokenizer's (`estimate`). */
export const TOKEN_COUNT_HEADER = 'x-aigw-token-count';

/**
 * Anthropic's count_tokens and Gemini's countTokens, served like a chat request: key, rate limit, body, route,
 * then per attempt an account from selector and its credential from auth, with the same failover; provider-call
 * counts through the provider's count endpoint or estimates. Answered in the client's shape, logged once.
 */
export function countTokensHandler(endpoint: CountTokensEndpoint, deps: ChatDeps): RequestHandler {
  const { protocol } = endpoint;
  return (req, res) => inRequestSpan(req, protocol, (span) => serve(req, res, span));

  async function serve(req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], span: Span): Promise<void> {
    const startedAtMs = Date.now();
    const requestId = requestIdOf(res);
    const summary = newRequestSummary(requestId, clientRequestIdOfResponse(res), protocol, startedAtMs);
    const trace = newTrace();
    const clientGone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });
    let release: Release | undefined;
    try {
      release = await (deps.admission ?? UNBOUNDED_ADMISSION).enter(clientGone.signal);
      const key = await authenticateClient(deps.apiKeys, keySources(req, protocol));
      summary.apiKeyId = key.id;
      const body = await deps.readBody(req, res);
      const { model } = endpoint.decode(req, body.value);
      summary.model = model;
      // As chat-handler: the model first, so a refusal is logged with it and a forbidden model is a 403.
      deps.keyLimits.checkModel(key, model);
      await deps.keyLimits.check(key);
      const route = deps.routes.resolve(model);
      const outcome = await deps.attemptLoop.run(
        {
          requestId,
          protocol,
          body: body.raw,
          route,
          stream: false,
          framing: 'sse',
          count: true,
          deadline: startedAtMs + deps.requestTimeoutMs,
          signal: clientGone.signal,
          clientHeaders: collectClientHeaders(req.headers),
        },
        trace,
      );
      summary.statusCode = outcome.status;
      summary.errorClass = trace.errorClass || (outcome.status >= 400 ? upstreamErrorClass(outcome.status) : '');
      if (outcome.kind === 'response') {
        if (outcome.status < 300) res.setHeader(TOKEN_COUNT_HEADER, trace.countEstimated ? 'estimate' : 'exact');
        sendUpstreamBody(res, outcome.status, outcome.body, outcome.retryAfterMs, trace.droppedFields);
      }
    } catch (thrown) {
      const error = clientGone.signal.aborted ? new AppError('CANCELLED', 'client closed the request') : toAppError(thrown);
      summary.statusCode = error.httpStatus;
      summary.errorClass = appErrorClass(error);
      if (error.code === 'INTERNAL') deps.logger.error({ requestId, err: thrown }, 'request failed');
      sendClientError(res, protocol, error);
    } finally {
      release?.();
      summary.finishedAtMs = Date.now();
      deps.requestLog.publish(requestLogEvent(summary, trace));
      deps.metrics.countAttempts(trace.providerName, trace.attempts);
      endRequestSpan(span, summary, trace);
    }
  }
}
