import express, { type Express } from 'express';
import { adminRouter } from './admin/admin-router.js';
import type { AdminDeps } from './admin/admin-deps.js';
import { anthropicCountTokens, anthropicMessages, openaiChat } from './http/chat-endpoints.js';
import { chatHandler, type ChatDeps } from './http/chat-handler.js';
import { countTokensHandler } from './http/count-tokens-handler.js';
import { lastResortErrorHandler, notFound } from './http/fallback-handlers.js';
import { geminiHandler } from './http/gemini-handler.js';
import { healthRoutes } from './http/health-routes.js';
import { modelListRoutes } from './http/model-list-routes.js';
import { requestContext } from './http/request-context.js';
import type { DependencyCheck } from './observability/readiness.js';

/** Everything the HTTP app needs; main.ts builds the real ones, tests build fakes. */
export interface ServerDeps extends ChatDeps {
  admin: AdminDeps;
  readinessChecks: readonly DependencyCheck[];
  /** False once shutdown began. */
  accepting: () => boolean;
}

/** Builds the ingress express app (client API, admin API, health, metrics); never listens. */
export function createServer(deps: ServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(requestContext(deps.metrics));
  // The proxied routes parse their own body after the key check: nothing else runs before them.
  app.post('/v1/chat/completions', chatHandler(openaiChat, deps));
  app.post('/v1/messages', chatHandler(anthropicMessages, deps));
  app.post('/v1/messages/count_tokens', countTokensHandler(anthropicCountTokens, deps));
  app.post('/v1beta/models/*target', geminiHandler(deps));
  app.use(modelListRoutes(deps.apiKeys, deps.routes));
  app.use(healthRoutes({ checks: deps.readinessChecks, accepting: deps.accepting, metrics: deps.metrics }));
  app.use('/api/v1', adminRouter(deps.admin));
  app.use(notFound);
  app.use(lastResortErrorHandler(deps.logger));
  return app;
}
