import type { RequestHandler } from 'express';
import { AppError, toAppError } from '@aigw/errors';
import { authenticateClient } from '../keys/authenticate-client.js';
import { newTrace } from '../proxying/backends.js';
import { appErrorClass } from '../proxying/retry-policy.js';
import { newRequestSummary, requestLogEvent } from '../request-log/request-log-event.js';
import type { ChatDeps } from './chat-handler.js';
import type { CountTokensEndpoint } from './chat-endpoints.js';
import { sendClientError } from './client-responses.js';
import { keySources } from './key-sources.js';
import { requestIdOf } from './request-context.js';

/**
 * Anthropic's count_tokens and Gemini's countTokens. provider-call has no token-counting call, so no
 * provider can answer yet: after the usual key, body and model checks the client gets a clear 400 naming
 * the provider, never a made-up count. Logged like every client request.
 */
export function countTokensHandler(endpoint: CountTokensEndpoint, deps: ChatDeps): RequestHandler {
  const { protocol } = endpoint;
  return async (req, res) => {
    const summary = newRequestSummary(requestIdOf(res), protocol, Date.now());
    const trace = newTrace();
    let error: AppError;
    try {
      const key = await authenticateClient(deps.apiKeys, keySources(req, protocol));
      summary.apiKeyId = key.id;
      await deps.rateLimiter.check(key);
      const body = await deps.readBody(req, res);
      const { model } = endpoint.decode(req, body.value);
      summary.model = model;
      const route = deps.routes.resolve(model);
      trace.providerId = route.providerId;
      trace.upstreamModel = route.upstreamModel;
      error = new AppError(
        'INVALID_REQUEST',
        `${endpoint.operation} is not supported for model \`${model}\`: its provider \`${route.providerName}\` cannot count tokens through this gateway`,
        { details: { param: 'model' } },
      );
      summary.errorClass = 'unsupported_operation';
    } catch (thrown) {
      error = toAppError(thrown);
      summary.errorClass = appErrorClass(error);
      if (error.code === 'INTERNAL') deps.logger.error({ requestId: summary.requestId, err: thrown }, 'request failed');
    }
    summary.statusCode = error.httpStatus;
    sendClientError(res, protocol, error);
    summary.finishedAtMs = Date.now();
    deps.requestLog.publish(requestLogEvent(summary, trace));
  };
}
