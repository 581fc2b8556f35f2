import type { IncomingHttpHeaders } from 'node:http';
import { renderGoogleError } from './google-error.js';
import { countWords, splitIntoChunks, type ChatRequest, type Reply } from './reply.js';
import { bearerToken, type ParseFailure, type RenderContext, type RouteMatch, type WireFormat } from './wire-format.js';

// Google Cloud Code Assist as used by Gemini CLI / Antigravity:
//   POST /v1internal:generateContent
//   POST /v1internal:streamGenerateContent?alt=sse
// Request  {project, model, request:{contents, systemInstruction, generationConfig, tools}}
// Response {response:{candidates, usageMetadata, modelVersion, responseId}, traceId}
// Stream events carry text deltas; the last one carries finishReason and usageMetadata.
// Google frames SSE events with CRLF ("data: ...\r\n\r\n"); we do too, so gateway parsers that only
// split on "\n\n" fail here rather than in production.

const SSE_END = '\r\n\r\n';

interface GooglePart {
  text?: unknown;
}

interface GoogleContent {
  role?: unknown;
  parts?: unknown;
}

/** Text parts of a Google Content joined by "\n"; '' for none (function calls, images). */
function partsText(content: unknown): string {
  if (typeof content === 'string') return content; // some clients send systemInstruction as a bare string
  if (typeof content !== 'object' || content === null) return '';
  const parts = (content as GoogleContent).parts;
  if (!Array.isArray(parts)) return '';
  let text = '';
  for (const part of parts as GooglePart[]) {
    if (typeof part === 'object' && part !== null && typeof part.text === 'string') {
      text = text === '' ? part.text : `${text}\n${part.text}`;
    }
  }
  return text;
}

/** Parses a Cloud Code Assist request body into the format-neutral request. */
export function parseAntigravityRequest(body: unknown, stream: boolean): ChatRequest | ParseFailure {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'Request body must be a JSON object.' };
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return { error: 'Invalid value at \'model\': a model name is required.' };
  const request = b.request as Record<string, unknown> | undefined;
  if (typeof request !== 'object' || request === null) return { error: "Invalid value at 'request': an object is required." };
  const contents = request.contents;
  if (!Array.isArray(contents) || contents.length === 0) return { error: "Invalid value at 'request.contents': contents must not be empty." };
  let inputTokens = countWords(partsText(request.systemInstruction));
  let lastUserText = '';
  for (const content of contents as unknown[]) {
    if (typeof content !== 'object' || content === null) return { error: "Invalid value at 'request.contents': expected an object." };
    const text = partsText(content);
    inputTokens += countWords(text);
    if ((content as GoogleContent).role === 'user') lastUserText = text;
  }
  const config = request.generationConfig as { maxOutputTokens?: unknown } | undefined;
  const max = config?.maxOutputTokens;
  const maxOutputTokens = typeof max === 'number' && Number.isInteger(max) && max >= 0 ? max : undefined;
  return {
    model: b.model,
    stream,
    lastUserText,
    inputTokens,
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    streamUsage: true,
  };
}

function usageMetadata(reply: Reply): object {
  return {
    promptTokenCount: reply.inputTokens,
    candidatesTokenCount: reply.outputTokens,
    totalTokenCount: reply.inputTokens + reply.outputTokens,
  };
}

function finishReason(reply: Reply): string {
  return reply.finish === 'length' ? 'MAX_TOKENS' : 'STOP';
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
        candidates: [{ content: { role: 'model', parts: [{ text: reply.text }] }, finishReason: finishReason(reply) }],
        usageMetadata: usageMetadata(reply),
        modelVersion: req.model,
        responseId: ctx.id,
      },
      traceId: ctx.id,
    });
  },

  renderStream(reply: Reply, req: ChatRequest, ctx: RenderContext, chunks: number): string[] {
    const pieces = splitIntoChunks(reply.text, chunks);
    return pieces.map((text, i) => {
      const last = i === pieces.length - 1;
      const candidate = last
        ? { content: { role: 'model', parts: [{ text }] }, finishReason: finishReason(reply) }
        : { content: { role: 'model', parts: [{ text }] } };
      const response = last
        ? { candidates: [candidate], usageMetadata: usageMetadata(reply), modelVersion: req.model, responseId: ctx.id }
        : { candidates: [candidate], modelVersion: req.model, responseId: ctx.id };
      return `data: ${JSON.stringify({ response, traceId: ctx.id })}${SSE_END}`;
    });
  },

  renderError(status: number, message?: string): string {
    return renderGoogleError(status, message);
  },
};
