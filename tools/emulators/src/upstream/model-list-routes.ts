import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicFormat } from './anthropic-format.js';
import { antigravityFormat } from './antigravity-format.js';
import { writeWholeBody } from './body-writer.js';
import { geminiFormat } from './gemini-format.js';
import {
  ANTHROPIC_MODELS,
  anthropicModelPage,
  CLOUD_CODE_MODELS,
  cloudCodeModelMap,
  GEMINI_MODELS,
  geminiModelPage,
  GLM_MODELS,
  OPENAI_MODELS,
  openAiModelList,
} from './model-catalog.js';
import { openAiFormat } from './openai-format.js';
import type { RequestLog } from './request-log.js';
import type { ScriptBook } from './script-rules.js';
import { mergeSteering, steeringFromHeaders, type Steering } from './steering.js';
import type { WireFormat } from './wire-format.js';

// The model-list endpoints of each emulated upstream, authenticated like the real ones (401 without a key,
// Anthropic's 400 without anthropic-version, Cloud Code's 401 for a token the OAuth emulator did not issue),
// paged like the real ones, and steerable by scripts and headers (status, delay) like the chat endpoints.

/** One list endpoint: its format (auth and error shape) and its answer for a query. */
interface ListEndpoint {
  format: WireFormat;
  answer(query: URLSearchParams, now: number): object | { error: string };
}

/** Which list endpoint serves a request; `/v1/models` is Anthropic's when the client speaks Anthropic. */
export function modelListEndpoint(method: string, pathname: string, headers: IncomingMessage['headers']): ListEndpoint | undefined {
  if (method === 'GET' && pathname === '/v1/models') {
    const anthropic = headers['anthropic-version'] !== undefined || (headers['x-api-key'] !== undefined && headers.authorization === undefined);
    if (anthropic) return { format: anthropicFormat, answer: (query) => anthropicModelPage(ANTHROPIC_MODELS, query) };
    return { format: openAiFormat, answer: () => openAiModelList(OPENAI_MODELS, 'system') };
  }
  if (method === 'GET' && pathname === '/api/paas/v4/models') return { format: openAiFormat, answer: () => openAiModelList(GLM_MODELS, 'z-ai') };
  if (method === 'GET' && pathname === '/v1beta/models') return { format: geminiFormat, answer: (query) => geminiModelPage(GEMINI_MODELS, query) };
  if (method === 'POST' && pathname === '/v1internal:fetchAvailableModels') {
    return { format: antigravityFormat, answer: (_query, now) => cloudCodeModelMap(CLOUD_CODE_MODELS, now) };
  }
  return undefined;
}

export interface ModelListDeps {
  log: RequestLog;
  scripts: ScriptBook;
  defaults: Steering | undefined;
  validateBearer: ((token: string) => boolean) | undefined;
}

/** Answers one model-list request (the body of a POST is read and ignored, as the list needs nothing from it). */
export async function serveModelList(
  endpoint: ListEndpoint,
  deps: ModelListDeps,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  query: string,
): Promise<void> {
  for await (const _chunk of req) {
    // drained: the list does not depend on the body
  }
  const at = Date.now();
  const { format } = endpoint;
  const credential = format.credential(req.headers, query);
  const viaProxy = req.headers['x-emu-via-proxy'];
  const reply = (status: number, body: string, headers: Record<string, string | number> = {}) => {
    deps.log.add({ at, method: req.method ?? 'GET', path: pathname, format: format.name, model: '', credential, stream: false, status, ...(typeof viaProxy === 'string' ? { viaProxy } : {}) });
    writeWholeBody(res, status, { 'content-type': 'application/json; charset=utf-8', ...headers }, body, {});
  };
  const headerError = format.headerError?.(req.headers);
  if (headerError !== undefined) return reply(400, format.renderError(400, headerError));
  const authError = credential === '' ? undefined : format.authError?.(req.headers);
  if (authError !== undefined) return reply(401, format.renderError(401, authError));
  const kind = format.credentialKindOf?.(req.headers) ?? format.credentialKind;
  const validBearer = kind !== 'oauth-bearer' || deps.validateBearer === undefined || deps.validateBearer(credential);
  if (credential === '' || !validBearer) return reply(401, format.renderError(401));

  const steering = mergeSteering(deps.defaults, deps.scripts.take({ credential, model: '', path: pathname }), undefined, steeringFromHeaders(req.headers));
  if (steering.delayMs !== undefined && steering.delayMs > 0) {
    await sleep(steering.delayMs);
    if (res.destroyed) return;
  }
  const status = steering.status ?? 200;
  if (status < 200 || status > 299) {
    return reply(status, format.renderError(status), steering.retryAfterSeconds === undefined ? {} : { 'retry-after': String(steering.retryAfterSeconds) });
  }
  const body = endpoint.answer(new URLSearchParams(query), at);
  if ('error' in body) return reply(400, format.renderError(400, String(body.error)));
  reply(200, JSON.stringify(body));
}
