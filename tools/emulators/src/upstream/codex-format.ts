import type { IncomingHttpHeaders } from 'node:http';
import { isObject } from './json-fields.js';
import { openAiResponsesFormat } from './openai-responses-format.js';
import type { ChatRequest, Reply } from './reply.js';
import { bearerToken, type ParseFailure, type RenderContext, type RouteMatch, type WireFormat } from './wire-format.js';

// The ChatGPT backend the Codex CLI talks to with a ChatGPT subscription: POST /backend-api/codex/responses,
// the Responses API, `Authorization: Bearer <OAuth access token>` (checked like every OAuth bearer) and the
// `chatgpt-account-id` header. It takes only what Codex sends: `stream: true`, `store: false` and
// `instructions`, without some of the API's fields (`safety_identifier`, …); anything else is a 400 with its own `{"detail": "<message>"}` body, as are its other errors.
// The answer is the Responses API's event stream.

const PATH = '/backend-api/codex/responses';

/** Responses API fields the backend refuses. */
const UNSUPPORTED: readonly string[] = ['prompt_cache_retention', 'safety_identifier', 'stream_options'];

const DETAILS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** `{"detail": …}`, the backend's error body. */
function detail(status: number, message?: string): string {
  return JSON.stringify({ detail: message ?? DETAILS[status] ?? `Request failed with status ${status}.` });
}

export const codexFormat: WireFormat = {
  name: 'responses',
  credentialKind: 'oauth-bearer',

  match(method: string, pathname: string): RouteMatch | undefined {
    return method === 'POST' && pathname === PATH ? {} : undefined;
  },

  credential(headers: IncomingHttpHeaders): string {
    return bearerToken(headers);
  },

  authError(headers: IncomingHttpHeaders): string | undefined {
    const account = headers['chatgpt-account-id'];
    return typeof account === 'string' && account.trim() !== '' ? undefined : 'Missing chatgpt-account-id header';
  },

  parse(body: unknown, route: RouteMatch): ChatRequest | ParseFailure {
    if (isObject(body)) {
      if (body.stream !== true) return { error: 'Stream must be set to true' };
      if (body.store !== false) return { error: 'Store must be set to false' };
      if (typeof body.instructions !== 'string') return { error: 'Instructions are required' };
      const unsupported = UNSUPPORTED.find((field) => field in body);
      if (unsupported !== undefined) return { error: `Unsupported parameter: ${unsupported}` };
    }
    return openAiResponsesFormat.parse(body, route);
  },

  renderJson(reply: Reply, req: ChatRequest, ctx: RenderContext): string {
    return openAiResponsesFormat.renderJson(reply, req, ctx);
  },

  renderStream(reply: Reply, req: ChatRequest, ctx: RenderContext, chunks: number | undefined): string[] {
    return openAiResponsesFormat.renderStream(reply, req, ctx, chunks);
  },

  renderError(status: number, message?: string): string {
    return detail(status, message);
  },

  renderStreamError(status: number, at?: { req: ChatRequest; ctx: RenderContext; sent: number }): string {
    return openAiResponsesFormat.renderStreamError(status, at);
  },
};
