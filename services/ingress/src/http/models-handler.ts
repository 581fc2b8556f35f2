import type { RequestHandler } from 'express';
import { toAppError } from '@aigw/errors';
import type { ApiKeyCache } from '../keys/api-key-cache.js';
import { authenticateClient } from '../keys/authenticate-client.js';
import type { RouteCache } from '../routing/route-cache.js';
import { sendClientError } from './client-responses.js';

/** GET /v1/models: the routable model names, in OpenAI's list shape. */
export function modelsHandler(apiKeys: ApiKeyCache, routes: RouteCache): RequestHandler {
  return async (req, res) => {
    try {
      await authenticateClient(apiKeys, req.headers);
      const data = routes.listModels().map(({ id, ownedBy }) => ({ id, object: 'model', created: 0, owned_by: ownedBy }));
      res.json({ object: 'list', data });
    } catch (error) {
      sendClientError(res, 'openai', toAppError(error));
    }
  };
}
