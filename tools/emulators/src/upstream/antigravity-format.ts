import type { IncomingHttpHeaders } from 'node:http';
import { renderGoogleError } from './google-error.js';
import { answerParts, GOOGLE_SSE_END, googleFinishReason, googleUsage, streamSteps } from './google-render.js';
import { parseGoogleRequest } from './google-request.js';
import { isObject } from './json-fields.js';
import type { ChatRequest, Reply } from './reply.js';
import { bearerToken, type ParseFailure, type RenderContext, type RouteMatch, type WireFormat } from './wire-format.js';

// Google Cloud Code Assist as used by Gemini CLI / Antigravity:
//   POST /v1internal:generateContent
//   POST /v1internal:streamGenerateContent?alt=sse
// Request  {project, model, request:{contents, systemInstruction, generationConfig, tools}}
// Response {response:{candidates, usageMetadata, modelVersion, responseId}, traceId}
// Stream events carry deltas; the `response` inside each is Vertex's GenerateContentResponse, so, as
// on Gemini, every event repeats usageMetadata (promptTokenCount from the first event on, output
// counts cumulative); only the last one carries finishReason.

/** Parses a Cloud Code Assist request body into the format-neutral request. */
export function parseAntigravityRequest(body: unknown, stream: boolean): ChatRequest | ParseFailure {
  if (!isObject(body)) return { error: 'Request body must be a JSON object.' };
  if (typeof body.model !== 'string' || body.model === '') return { error: "Invalid value at 'model': a model name is required." };
  const request = body.request;
  if (!isObject(request)) return { error: "Invalid value at 'request': an object is required." };
  return parseGoogleRequest(request, body.model, stream, 'request.');
}

export const antigravityFormat: WireFormat = {
  name: 'antigravity',
  credentialKind: 'oauth-bearer',

  match(method: string, pathname: string, query: string): RouteMatch | undefined {
    if (method !== 'POST') return undefined;
    if (pathname === '/v1internal:generateContent') return { stream: false };
    // Without alt=sse Google streams a JSON array; nothing we emulate uses that, so it is not served.
    if (pathname === '/v1internal:streamGenerateContent' && new URLSearchParams(query).get('alt') === 'sse') {
      return { stream: true };
    }
    return undefined;
  },

  credential(headers: IncomingHttpHeaders): string {
    return bearerToken(headers);
  },

  parse(body: unknown, route: RouteMatch): ChatRequest | ParseFailure {
    return parseAntigravityRequest(body, route.stream === true);
  },

  renderJson(reply: Reply, req: ChatRequest, ctx: RenderContext): string {
    return JSON.stringify({
      response: {
        candidates: [{ content: { role: 'model', parts: answerParts(reply) }, finishReason: googleFinishReason(reply) }],
        usageMetadata: googleUsage(reply),
        modelVersion: req.model,
        responseId: ctx.id,
      },
      traceId: ctx.id,
    });
  },

  renderStream(reply: Reply, req: ChatRequest, ctx: RenderContext, chunks: number | undefined): string[] {
    const steps = streamSteps(reply, chunks);
    return steps.map((step, i) => {
      const last = i === steps.length - 1;
      const content = { role: 'model', parts: [step.part] };
      const candidate = last ? { content, finishReason: googleFinishReason(reply) } : { content };
      const usageMetadata = last ? googleUsage(reply) : googleUsage(reply, step.candidatesTokens, step.thoughtsTokens);
      const response = { candidates: [candidate], usageMetadata, modelVersion: req.model, responseId: ctx.id };
      return `data: ${JSON.stringify({ response, traceId: ctx.id })}${GOOGLE_SSE_END}`;
    });
  },

  renderError(status: number, message?: string): string {
    return renderGoogleError(status, message);
  },

  renderStreamError(status: number): string {
    return `data: ${renderGoogleError(status)}${GOOGLE_SSE_END}`;
  },
};
