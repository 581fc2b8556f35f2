import { AppError } from '@aigw/errors';
import type { ClientCodec, WireFormatName } from '../adapters/client-codec.js';
import type { UpstreamRequest, UpstreamTarget } from '../adapters/provider-adapter.js';
import { joinUrl, upstreamHeaders } from '../adapters/upstream-headers.js';
import type { IrRequest } from '../ir/chat-ir.js';
import { asRecord, type JsonRecord } from '../ir/json-shape.js';
import { irToAnthropicRequest } from '../wire/anthropic/anthropic-request-encoder.js';
import { anthropicHeaders } from '../wire/anthropic/anthropic-upstream.js';
import { irToGeminiRequest } from '../wire/google/gemini-request.js';
import { bareModelName, geminiMethodUrl } from '../wire/google/gemini-upstream.js';

// A client's count request (Anthropic count_tokens, Gemini countTokens) as the provider's own count request.
// Both client shapes are a chat request without the answer's settings, so they go through the chat path's
// translation: the client body becomes a chat body, the client codec decodes it to the IR, and the provider's
// encoder builds its request, of which the count request keeps the input (messages, system, tools).

/** Any output limit: a count request has none, and the chat decoders want one. */
const PLACEHOLDER_MAX_TOKENS = 4_096;

/**
 * The chat body a count body stands for, in the client's format. Anthropic's count_tokens body is a Messages
 * body without max_tokens; Gemini's countTokens body is `{contents}` or `{generateContentRequest}`.
 */
export function chatBodyOfCount(format: WireFormatName, body: unknown): JsonRecord {
  const root = asRecord(body);
  if (root === undefined) throw new AppError('INVALID_REQUEST', 'request body must be a JSON object');
  if (format === 'anthropic') {
    if (root.max_tokens !== undefined) return root;
    const budget = asRecord(root.thinking)?.budget_tokens;
    return { ...root, max_tokens: typeof budget === 'number' && budget >= PLACEHOLDER_MAX_TOKENS ? budget + 1 : PLACEHOLDER_MAX_TOKENS };
  }
  if (format === 'gemini') {
    const wrapped = asRecord(root.generateContentRequest);
    if (wrapped !== undefined) {
      const { model: _model, ...request } = wrapped;
      return request;
    }
    if (root.generateContentRequest !== undefined) {
      throw new AppError('INVALID_REQUEST', '`generateContentRequest` must be an object', { details: { param: 'generateContentRequest' } });
    }
    return { contents: root.contents };
  }
  throw new AppError('INVALID_REQUEST', `${format} clients have no token-counting endpoint`);
}

/** The decoded request: what every count path and the local estimate start from. */
export interface DecodedCount {
  ir: IrRequest;
  /** Client fields the IR could not carry. */
  dropped: string[];
}

/** Decodes a count body through the client codec, as the chat path decodes a chat body. */
export function decodeCount(codec: ClientCodec, body: unknown): DecodedCount {
  const decoded = codec.decodeRequest(chatBodyOfCount(codec.format, body), false);
  return { ir: decoded.ir, dropped: decoded.ir.dropped };
}

/** The provider's count call, and how to read its answer. */
export interface UpstreamCount {
  request: UpstreamRequest;
  dropped: string[];
}

function post(url: string, headers: Record<string, string>, body: JsonRecord): UpstreamRequest {
  return { url, headers, body: JSON.stringify(body) };
}

/** `${base}/v1/messages/count_tokens` (a base that ends in /v1 gets only `/messages/count_tokens`). */
export function anthropicCountUrl(baseUrl: string): string {
  return joinUrl(baseUrl, /\/v1\/*$/.test(baseUrl) ? '/messages/count_tokens' : '/v1/messages/count_tokens');
}

const ANTHROPIC_COUNT_FIELDS = ['system', 'messages', 'tools', 'tool_choice', 'thinking'] as const;

/** Anthropic's count_tokens body for the IR: the Messages body's input fields. */
export function anthropicCountBody(ir: IrRequest, model: string): { body: JsonRecord; dropped: string[] } {
  const { body, dropped } = irToAnthropicRequest(ir, model);
  const count: JsonRecord = { model };
  for (const field of ANTHROPIC_COUNT_FIELDS) if (body[field] !== undefined) count[field] = body[field];
  return { body: count, dropped };
}

/** The input half of a Gemini request (what counting looks at) for the IR. */
export function geminiCountInput(ir: IrRequest, model: string): { input: JsonRecord; dropped: string[] } {
  const { request, dropped } = irToGeminiRequest(ir, model);
  const input: JsonRecord = { contents: request.contents };
  if (request.systemInstruction !== undefined) input.systemInstruction = request.systemInstruction;
  if (request.tools !== undefined) input.tools = request.tools;
  if (request.toolConfig !== undefined) input.toolConfig = request.toolConfig;
  return { input, dropped };
}

/** The Gemini client's own input, as it sent it (pass-through, so nothing is lost to translation). */
function geminiClientInput(body: unknown): JsonRecord {
  const { generationConfig: _config, safetySettings: _safety, cachedContent: _cached, ...input } = chatBodyOfCount('gemini', body);
  return input;
}

/**
 * The provider's count request for a client count body (already decoded, so already validated), or undefined
 * when the provider has no count endpoint (OpenAI-compatible). A client that speaks the provider's format is
 * passed through (model set), as chat is.
 */
export function upstreamCount(
  codec: ClientCodec,
  providerKind: string,
  body: unknown,
  decoded: DecodedCount,
  target: UpstreamTarget,
): UpstreamCount | undefined {
  const model = bareModelName(target.model);
  switch (providerKind) {
    case 'anthropic': {
      if (codec.format === 'anthropic') {
        const forwarded = { ...(asRecord(body) ?? {}), model: target.model };
        return { request: post(anthropicCountUrl(target.baseUrl), anthropicHeaders(target, false), forwarded), dropped: [] };
      }
      const { body: count, dropped } = anthropicCountBody(decoded.ir, target.model);
      return { request: post(anthropicCountUrl(target.baseUrl), anthropicHeaders(target, false), count), dropped: [...decoded.dropped, ...dropped] };
    }
    case 'gemini':
    case 'antigravity': {
      let input: JsonRecord;
      let dropped: string[] = [];
      if (codec.format === 'gemini') input = geminiClientInput(body);
      else {
        const built = geminiCountInput(decoded.ir, target.model);
        input = built.input;
        dropped = [...decoded.dropped, ...built.dropped];
      }
      const headers = upstreamHeaders(target, false);
      // Gemini takes the whole input as a GenerateContentRequest; Cloud Code as {request:{model, contents, …}}
      // (as Gemini CLI's code_assist client sends it).
      const request =
        providerKind === 'gemini'
          ? post(geminiMethodUrl(target, 'countTokens'), headers, { generateContentRequest: { model: `models/${model}`, ...input } })
          : post(joinUrl(target.baseUrl, '/v1internal:countTokens'), headers, { request: { model: `models/${model}`, ...input } });
      return { request, dropped };
    }
    default:
      return undefined;
  }
}
