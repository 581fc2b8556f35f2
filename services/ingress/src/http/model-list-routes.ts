import type { IncomingHttpHeaders } from 'node:http';
import { Router, type Request, type Response } from 'express';
import { AppError, toAppError } from '@aigw/errors';
import type { ApiKeyCache } from '../keys/api-key-cache.js';
import { authenticateClient } from '../keys/authenticate-client.js';
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
import type { RouteCache } from '../routing/route-cache.js';
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

/** A model-list handler: authenticate, then answer from the routing table in the client's protocol. */
function modelRoute(
  apiKeys: ApiKeyCache,
  protocolOf: (req: Request) => ClientProtocol,
  answer: (req: Request, protocol: ClientProtocol) => unknown,
) {
  return async (req: Request, res: Response) => {
    const protocol = protocolOf(req);
    try {
      await authenticateClient(apiKeys, keySources(req, protocol));
      res.json(answer(req, protocol));
    } catch (error) {
      sendClientError(res, protocol, toAppError(error));
    }
  };
}

/**
 * The model lists: GET /v1/models and /v1/models/{id} (OpenAI or Anthropic shape), GET /v1beta/models and
 * /v1beta/models/{model} (Gemini). Lists show the concrete models of the routing table whose provider has an
 * active account (RouteTable.listModels); the detail routes answer any such routed name, wildcards included.
 */
export function modelListRoutes(apiKeys: ApiKeyCache, routes: RouteCache): Router {
  const router = Router();
  const byHeaders = (req: Request) => modelListProtocol(req.headers);
  const gemini = () => 'gemini' as const;
  const describe = (model: string): ListedModel => {
    const found = routes.describeModel(model);
    if (!found) throw unknownModel(model);
    return found;
  };

  router.get(
    '/v1/models',
    modelRoute(apiKeys, byHeaders, (req, protocol) =>
      protocol === 'anthropic' ? anthropicModelPage(routes.listModels(), req.query as Query) : openAiModelList(routes.listModels()),
    ),
  );
  router.get(
    '/v1/models/*id',
    modelRoute(apiKeys, byHeaders, (req, protocol) => {
      const model = describe(pathParam(req, 'id'));
      return protocol === 'anthropic' ? anthropicModel(model) : openAiModel(model);
    }),
  );
  router.get(
    '/v1beta/models',
    modelRoute(apiKeys, gemini, (req) => geminiModelPage(routes.listModels(), req.query as Query)),
  );
  router.get(
    '/v1beta/models/*name',
    modelRoute(apiKeys, gemini, (req) => geminiModel(describe(geminiModelName(pathParam(req, 'name'))))),
  );
  return router;
}
