import { parseAntigravityRequest, antigravityFormat } from './antigravity-format.js';
import { anthropicFormat } from './anthropic-format.js';
import { parseAnthropicRequest } from './anthropic-request.js';
import { geminiFormat } from './gemini-format.js';
import { parseGoogleRequest } from './google-request.js';
import { isObject } from './json-fields.js';
import type { ChatRequest } from './reply.js';
import type { ParseFailure, WireFormat } from './wire-format.js';

// The providers' token-counting endpoints. A count is the input tokens the same body would be billed as a
// chat request (ChatRequest.inputTokens, the words of every input text), so a client's count equals the
// input_tokens / promptTokenCount of the chat answer to the same request, as with the real providers.
//   Anthropic    POST /v1/messages/count_tokens   {model, messages, system?, tools?, …} → {input_tokens}
//                (no max_tokens: the real API refuses fields a count does not take)
//   Gemini       POST /v1beta/models/{m}:countTokens   {contents} or {generateContentRequest:{model, contents, …}}
//                → {totalTokens, promptTokensDetails}
//   Cloud Code   POST /v1internal:countTokens   {request:{model:"models/{m}", contents, …}} → {totalTokens}

export interface CountEndpoint {
  /** The chat format whose credential, required headers and error shape the endpoint shares. */
  readonly format: WireFormat;
  /** The model named by the path, '' when the body names it; undefined when the path is not this endpoint. */
  match(method: string, pathname: string): { pathModel: string } | undefined;
  parse(body: unknown, pathModel: string): ChatRequest | ParseFailure;
  render(inputTokens: number): string;
}

const GEMINI_COUNT = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):countTokens$/;

const stripModels = (model: string) => (model.startsWith('models/') ? model.slice('models/'.length) : model);

export const anthropicCount: CountEndpoint = {
  format: anthropicFormat,
  match: (method, pathname) => (method === 'POST' && pathname === '/v1/messages/count_tokens' ? { pathModel: '' } : undefined),
  parse(body) {
    if (!isObject(body)) return { error: 'Request body must be a JSON object.' };
    if (body.max_tokens !== undefined) return { error: 'max_tokens: Extra inputs are not permitted' };
    return parseAnthropicRequest({ ...body, max_tokens: 1 });
  },
  render: (inputTokens) => JSON.stringify({ input_tokens: inputTokens }),
};

export const geminiCount: CountEndpoint = {
  format: geminiFormat,
  match(method, pathname) {
    const m = method === 'POST' ? GEMINI_COUNT.exec(pathname) : null;
    if (m === null) return undefined;
    try {
      return { pathModel: decodeURIComponent(m[1] ?? '') };
    } catch {
      return undefined;
    }
  },
  parse(body, pathModel) {
    if (!isObject(body)) return { error: 'Invalid JSON payload received. Expected an object.' };
    const wrapped = body.generateContentRequest;
    if (wrapped !== undefined && body.contents !== undefined) {
      return { error: 'contents and generateContentRequest cannot both be set.' };
    }
    if (wrapped === undefined) return parseGoogleRequest({ contents: body.contents }, pathModel, false, '');
    if (!isObject(wrapped)) return { error: "Invalid value at 'generate_content_request': an object is required." };
    return parseGoogleRequest(wrapped, pathModel, false, '');
  },
  render: (inputTokens) => JSON.stringify({ totalTokens: inputTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: inputTokens }] }),
};

export const antigravityCount: CountEndpoint = {
  format: antigravityFormat,
  match: (method, pathname) => (method === 'POST' && pathname === '/v1internal:countTokens' ? { pathModel: '' } : undefined),
  parse(body) {
    if (!isObject(body) || !isObject(body.request)) return { error: "Invalid value at 'request': an object is required." };
    const model = body.request.model;
    if (typeof model !== 'string' || model === '') return { error: "Invalid value at 'request.model': a model name is required." };
    const { model: _model, ...request } = body.request;
    return parseAntigravityRequest({ model: stripModels(model), request }, false);
  },
  render: (inputTokens) => JSON.stringify({ totalTokens: inputTokens }),
};

export const COUNT_ENDPOINTS: readonly CountEndpoint[] = [anthropicCount, geminiCount, antigravityCount];
