import type { IncomingHttpHeaders } from 'node:http';
import { Router, type Request, type Response } from 'express';
import { AppError, toAppError } from '@aigw/errors';
import type { ApiKeyCache, ApiKeyRecord } from '../keys/api-key-cache.js';
import { authenticateClient } from '../keys/authenticate-client.js';
import { modelAllowed } from '../keys/key-limits.js';
import type { ClientProtocol } from '../protocol/client-protocol.js';
import { geminiModelName } from '@aigw/formats';
import {
  anthropicModel,
  anthropicModelPage,
  geminiModel,
  geminiModelPage,
  openAiModel,
  openAiModelList,
  type Query,
} from '../protocol/model-list-shape.js';
import type { ModelDirectory } from '../models/model-directory.js';
import type { ListedModel } from '../routing/route-table.js';
import { sendClientError } from './client-responses.js';
import { keySources } from './key-sources.js';
import { pathParam } from './path-param.js';

/**
 * /v1/models is shared by OpenAI and Anthropic clients: Anthropic's SDK sends `anthropic-version`, and an
 * `x-api-key` without a Bearer token is Anthropic's way of authenticating; anything else gets OpenAI's shape.
 */
export function modelListProtocol(headers: IncomingHttpHeaders): 'openai' | 'anthropic' {
  if (headers['anthropic-version'] !== undefined) return 'anthropic';
  const bearer = typeof headers.authorization === 'string' && /^Bearer\s/i.test(headers.authorization);
  return headers['x-api-key'] !== undefined && !bearer ? 'anthropic' : 'openai';
}

function unknownModel(model: string): AppError {
  return new AppError('MODEL_NOT_FOUND', `The model \`${model}\` does not exist or is not served by this gateway`, { details: { param: 'model' } });
}

/** A model-list handler: authenticate, then answer from the model directory in the client's protocol. */
function modelRoute(
  apiKeys: ApiKeyCache,
  protocolOf: (req: Request) => ClientProtocol,
  answer: (req: Request, protocol: ClientProtocol, key: ApiKeyRecord) => unknown,
) {
  return async (req: Request, res: Response) => {
    const protocol = protocolOf(req);
    try {
      const key = await authenticateClient(apiKeys, keySources(req, protocol));
      res.json(await answer(req, protocol, key));
    } catch (error) {
      sendClientError(res, protocol, toAppError(error));
    }
  };
}

/**
 * The model lists: GET /v1/models and /v1/models/{id} (OpenAI or Anthropic shape), GET /v1beta/models and
 * /v1beta/models/{model} (Gemini). Lists show every model a client can call (model-listing.ts: the routing
 * table's names and what the providers' upstreams list, matched against the routes); the detail routes answer
 * any routed name of a provider with an active account, wildcards included.
 */
export function modelListRoutes(apiKeys: ApiKeyCache, models: ModelDirectory): Router {
  const router = Router();
  const byHeaders = (req: Request) => modelListProtocol(req.headers);
  const gemini = () => 'gemini' as const;
  // A key limited to some models sees only those.
  const describe = (model: string, key: ApiKeyRecord): ListedModel => {
    const found = modelAllowed(key, model) ? models.describe(model) : undefined;
    if (!found) throw unknownModel(model);
    return found;
  };
  const list = async (key: ApiKeyRecord) => (await models.list()).filter((model) => modelAllowed(key, model.id));

  router.get(
    '/v1/models',
    modelRoute(apiKeys, byHeaders, async (req, protocol, key) => {
      const listed = await list(key);
      return protocol === 'anthropic' ? anthropicModelPage(listed, req.query as Query) : openAiModelList(listed);
    }),
  );
  router.get(
    '/v1/models/*id',
    modelRoute(apiKeys, byHeaders, (req, protocol, key) => {
      const model = describe(pathParam(req, 'id'), key);
      return protocol === 'anthropic' ? anthropicModel(model) : openAiModel(model);
    }),
  );
  router.get(
    '/v1beta/models',
    modelRoute(apiKeys, gemini, async (req, _protocol, key) => geminiModelPage(await list(key), req.query as Query)),
  );
  router.get(
    '/v1beta/models/*name',
    modelRoute(apiKeys, gemini, (req, _protocol, key) => geminiModel(describe(geminiModelName(pathParam(req, 'name')), key))),
  );
  return router;
}
