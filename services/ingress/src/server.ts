import type { RequestListener } from 'node:http';
import express from 'express';
import { adminRouter } from './admin/admin-router.js';
import type { AdminDeps } from './admin/admin-deps.js';
import { anthropicCountTokens, anthropicMessages, openaiChat, openaiEmbeddings, responsesCreate } from './http/chat-endpoints.js';
import { chatHandler, type ChatDeps } from './http/chat-handler.js';
import { consoleRoutes, defaultConsoleDir } from './http/console-routes.js';
import { countTokensHandler } from './http/count-tokens-handler.js';
import { lastResortErrorHandler, notFound } from './http/fallback-handlers.js';
import { geminiHandler } from './http/gemini-handler.js';
import { healthRoutes } from './http/health-routes.js';
import { withHotRoutes } from './http/hot-routes.js';
import { modelListRoutes } from './http/model-list-routes.js';
import { requestContext } from './http/request-context.js';
import { responsesRoutes } from './http/responses-routes.js';
import type { ModelCatalog } from './models/model-catalog.js';
import { modelDirectory } from './models/model-directory.js';
import type { DependencyCheck } from './observability/readiness.js';
import { NO_RESPONSE_STORE, type ResponseStore } from './responses/response-store.js';
import { NO_RESPONSE_STORE_METRICS, type ResponseStoreMetrics } from './responses/response-store-metrics.js';
import { ResponsesTurns } from './responses/responses-turn.js';

/** Everything the HTTP app needs; main.ts builds the real ones, tests build fakes. */
export interface ServerDeps extends ChatDeps {
  admin: AdminDeps;
  readinessChecks: readonly DependencyCheck[];
  /** False once shutdown began. */
  accepting: () => boolean;
  /** The providers' discovered model lists; without it the model lists hold the routing table's names only. */
  modelCatalog?: ModelCatalog;
  /** The Responses API's stored responses; without it nothing is stored and every stored id is unknown. */
  responseStore?: { store: ResponseStore; metrics: ResponseStoreMetrics };
  /** The web console's built files (served under /ui); default: console/dist of this checkout or image. */
  consoleDir?: string;
}

/**
 * Builds ingress's request listener (client API, admin API, web console, health, metrics); never listens. The proxied
 * routes with a fixed path are served before express (see hot-routes.ts), the rest by the app.
 */
export function createServer(deps: ServerDeps): RequestListener {
  const openai = chatHandler(openaiChat, deps);
  const anthropic = chatHandler(anthropicMessages, deps);
  const stored = { store: NO_RESPONSE_STORE, metrics: NO_RESPONSE_STORE_METRICS, ...deps.responseStore, logger: deps.logger };
  const responses = chatHandler(responsesCreate(new ResponsesTurns(stored)), deps);
  const embeddings = chatHandler(openaiEmbeddings, deps);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(requestContext(deps.metrics));
  // The proxied routes parse their own body after the key check: nothing else runs before them.
  app.post('/v1/chat/completions', openai);
  app.post('/v1/messages', anthropic);
  app.post('/v1/responses', responses);
  app.use(responsesRoutes({ ...stored, apiKeys: deps.apiKeys }));
  app.post('/v1/embeddings', embeddings);
  app.post('/v1/messages/count_tokens', countTokensHandler(anthropicCountTokens, deps));
  app.post('/v1beta/models/*target', geminiHandler(deps));
  app.use(modelListRoutes(deps.apiKeys, modelDirectory(deps.routes, deps.modelCatalog)));
  app.use(healthRoutes({ checks: deps.readinessChecks, accepting: deps.accepting }));
  app.use('/api/v1', adminRouter(deps.admin));
  app.use(consoleRoutes(deps.consoleDir ?? defaultConsoleDir()));
  app.use(notFound);
  app.use(lastResortErrorHandler(deps.logger));
  const hot = new Map([
    ['/v1/chat/completions', openai],
    ['/v1/messages', anthropic],
    ['/v1/responses', responses],
    ['/v1/embeddings', embeddings],
  ]);
  return withHotRoutes(app, hot, deps.metrics, deps.logger);
}
