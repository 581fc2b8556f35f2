import { dependencyError } from '@aigw/logger';
import { Router, type Request, type Response } from 'express';
import { AppError, toAppError } from '@aigw/errors';
import { checkInputItemsQuery, inputItemsPage, isResponseId, responseNotFound } from '@aigw/formats';
import type { Logger } from '@aigw/logger';
import type { ApiKeyCache } from '../keys/api-key-cache.js';
import { authenticateClient } from '../keys/authenticate-client.js';
import { RenderedError } from '../protocol/error-shape.js';
import type { ResponseStore } from '../responses/response-store.js';
import type { ResponseStoreMetrics } from '../responses/response-store-metrics.js';
import { sendClientError } from './client-responses.js';
import { pathParam } from './path-param.js';

// The stored responses of the Responses API, behind the client key: GET /v1/responses/{id}, DELETE
// /v1/responses/{id} and GET /v1/responses/{id}/input_items. A key sees only its own responses; any other
// id (unknown, expired, deleted, another key's) is OpenAI's 404, in OpenAI's error shape.

export interface ResponsesRoutesDeps {
  apiKeys: ApiKeyCache;
  store: ResponseStore;
  metrics: ResponseStoreMetrics;
  logger: Logger;
}

function notFound(id: string): RenderedError {
  const answer = responseNotFound(id);
  return new RenderedError('NOT_FOUND', answer.body.error.message, answer.body);
}

/** A store call; an unreachable store is 503 (never passed off as "not found"). */
async function fromStore<T>(deps: ResponsesRoutesDeps, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (thrown) {
    deps.metrics.failed(operation);
    deps.logger.warn({ err: dependencyError(thrown), operation }, 'response store call failed');
    throw new AppError('UNAVAILABLE', 'the response store is unavailable; retry shortly', { cause: thrown, retryAfterMs: 1_000 });
  }
}

/** A handler that authenticates the client key, then answers for it, errors in OpenAI's shape. */
function keyRoute(deps: ResponsesRoutesDeps, answer: (apiKeyId: number, id: string, req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response) => {
    try {
      const key = await authenticateClient(deps.apiKeys, { headers: req.headers });
      const id = pathParam(req, 'id');
      if (!isResponseId(id)) throw notFound(id);
      await answer(key.id, id, req, res);
    } catch (thrown) {
      sendClientError(res, 'responses', toAppError(thrown));
    }
  };
}

/** The routes of stored responses. */
export function responsesRoutes(deps: ResponsesRoutesDeps): Router {
  const router = Router();
  router.get(
    '/v1/responses/:id',
    keyRoute(deps, async (apiKeyId, id, req, res) => {
      // Replaying a stored response as a stream is OpenAI's background mode, which the gateway does not run.
      if (req.query.stream === 'true') {
        throw new AppError('INVALID_REQUEST', 'streaming a stored response is not supported by this gateway', { details: { param: 'stream' } });
      }
      const json = await fromStore(deps, 'load', () => deps.store.responseJson(apiKeyId, id));
      if (json === null) throw notFound(id);
      res.status(200).type('application/json').send(json);
    }),
  );
  router.delete(
    '/v1/responses/:id',
    keyRoute(deps, async (apiKeyId, id, _req, res) => {
      if (!(await fromStore(deps, 'delete', () => deps.store.delete(apiKeyId, id)))) throw notFound(id);
      res.status(200).json({ id, object: 'response', deleted: true });
    }),
  );
  router.get(
    '/v1/responses/:id/input_items',
    keyRoute(deps, async (apiKeyId, id, req, res) => {
      const query = checkInputItemsQuery(req.query);
      const input = await fromStore(deps, 'load', () => deps.store.input(apiKeyId, id));
      if (input === null) throw notFound(id);
      res.status(200).json(inputItemsPage(id, input, query));
    }),
  );
  return router;
}
