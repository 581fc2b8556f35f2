import type { IncomingHttpHeaders } from 'node:http';
import { renderGoogleError } from './google-error.js';
import { answerParts, GOOGLE_SSE_END, googleFinishReason, googleUsage, streamSteps } from './google-render.js';
import { parseGoogleRequest } from './google-request.js';
import { isObject } from './json-fields.js';
import type { ChatRequest, Reply } from './reply.js';
import type { ParseFailure, RenderContext, RouteMatch, WireFormat } from './wire-format.js';

// Gemini API (Google AI Studio):
//   POST /v1beta/models/{model}:generateContent
//   POST /v1beta/models/{model}:streamGenerateContent?alt=sse
// Auth: `x-goog-api-key: <key>` or `?key=<key>`. The model is named by the path, not the body.
// Response {candidates:[{content:{parts, role:"model"}, finishReason, index}], usageMetadata,
// modelVersion, responseId}. Every stream chunk repeats usageMetadata, cumulative, as Gemini does, so a
// gateway that keeps the first one (or adds them up) reports wrong usage here too.

const PATH = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

const API_KEY_INVALID = 'API key not valid. Please pass a valid API key.';

function candidate(parts: object[], finish: string | undefined): object {
  const content = { parts, role: 'model' };
  return finish === undefined ? { content, index: 0 } : { content, finishReason: finish, index: 0 };
}

export const geminiFormat: WireFormat = {
  name: 'gemini',
  credentialKind: 'api-key',

  match(method: string, pathname: string, query: string): RouteMatch | undefined {
    if (method !== 'POST' || !pathname.startsWith('/v1')) return undefined;
    const m = PATH.exec(pathname);
    if (m === null) return undefined;
    let model: string;
    try {
      model = decodeURIComponent(m[1] ?? '');
    } catch {
      return undefined;
    }
    if (m[2] === 'generateContent') return { stream: false, pathModel: model };
    // Without alt=sse Gemini streams a JSON array; gateways use SSE, so only that is served.
    return new URLSearchParams(query).get('alt') === 'sse' ? { stream: true, pathModel: model } : undefined;
  },

  credential(headers: IncomingHttpHeaders, query: string): string {
    const header = headers['x-goog-api-key'];
    if (typeof header === 'string' && header.trim() !== '') return header.trim();
    if (!query.includes('key=')) return '';
    return new URLSearchParams(query).get('key') ?? '';
  },

  parse(body: unknown, route: RouteMatch): ChatRequest | ParseFailure {
    if (!isObject(body)) return { error: 'Invalid JSON payload received. Expected an object.' };
    return parseGoogleRequest(body, route.pathModel ?? '', route.stream === true, '');
  },

  renderJson(reply: Reply, req: ChatRequest, ctx: RenderContext): string {
    return JSON.stringify({
      candidates: [candidate(answerParts(reply), googleFinishReason(reply))],
      usageMetadata: googleUsage(reply),
      modelVersion: req.model,
      responseId: ctx.id,
    });
  },

  renderStream(reply: Reply, req: ChatRequest, ctx: RenderContext, chunks: number | undefined): string[] {
    const steps = streamSteps(reply, chunks);
    return steps.map((step, i) => {
      const last = i === steps.length - 1;
      const chunk = {
        candidates: [candidate([step.part], last ? googleFinishReason(reply) : undefined)],
        usageMetadata: last ? googleUsage(reply) : googleUsage(reply, step.candidatesTokens, step.thoughtsTokens),
        modelVersion: req.model,
        responseId: ctx.id,
      };
      return `data: ${JSON.stringify(chunk)}${GOOGLE_SSE_END}`;
    });
  },

  renderError(status: number, message?: string): string {
    return renderGoogleError(status, message ?? (status === 401 ? API_KEY_INVALID : undefined));
  },

  renderStreamError(status: number): string {
    return `data: ${renderGoogleError(status)}${GOOGLE_SSE_END}`;
  },
};
