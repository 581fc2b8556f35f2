import type { IncomingHttpHeaders } from 'node:http';
import { countWords, splitIntoChunks, type ChatRequest, type Reply } from './reply.js';
import { bearerToken, type ParseFailure, type RenderContext, type RouteMatch, type WireFormat } from './wire-format.js';

// OpenAI Chat Completions: POST /v1/chat/completions, `Authorization: Bearer <key>`.
// Stream: role delta, content deltas, a finish_reason chunk, a usage chunk (choices: []) when
// stream_options.include_usage, then `data: [DONE]`. With include_usage every chunk carries
// `"usage": null`, as the real API does.

const FINGERPRINT = 'fp_emu';

interface ErrorDefaults {
  message: string;
  type: string;
  code: string | null;
}

const ERRORS: Readonly<Record<number, ErrorDefaults>> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  401: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { message: 'You are not allowed to access this resource.', type: 'invalid_request_error', code: null },
  404: { message: 'The model does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found' },
  413: { message: 'Request too large.', type: 'invalid_request_error', code: null },
  429: { message: 'Rate limit reached for requests.', type: 'requests', code: 'rate_limit_exceeded' },
  500: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null },
  502: { message: 'Bad gateway.', type: 'server_error', code: null },
  503: { message: 'The server is overloaded or not ready yet.', type: 'server_error', code: null },
  504: { message: 'Gateway timeout.', type: 'server_error', code: null },
};

function errorDefaults(status: number): ErrorDefaults {
  const known = ERRORS[status];
  if (known !== undefined) return known;
  return status >= 500
    ? { message: 'The server had an error while processing your request.', type: 'server_error', code: null }
    : { message: `Request failed with status ${status}.`, type: 'invalid_request_error', code: null };
}

/** Text of a message's content: a string, or the text parts of a content array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text') {
      const t = (part as { text?: unknown }).text;
      if (typeof t === 'string') text = text === '' ? t : `${text}\n${t}`;
    }
  }
  return text;
}

function nonNegativeInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** Parses a Chat Completions request body into the format-neutral request. */
export function parseOpenAiRequest(body: unknown): ChatRequest | ParseFailure {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'Request body must be a JSON object.' };
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return { error: "Missing required parameter: 'model'." };
  if (!Array.isArray(b.messages) || b.messages.length === 0) return { error: "Missing required parameter: 'messages'." };
  let inputTokens = 0;
  let lastUserText = '';
  for (const message of b.messages as unknown[]) {
    if (typeof message !== 'object' || message === null) return { error: 'Invalid message: expected an object.' };
    const m = message as { role?: unknown; content?: unknown };
    if (typeof m.role !== 'string') return { error: "Missing required parameter: 'messages[].role'." };
    const text = contentText(m.content);
    inputTokens += countWords(text);
    if (m.role === 'user') lastUserText = text;
  }
  const streamOptions = b.stream_options as { include_usage?: unknown } | undefined;
  const maxOutputTokens = nonNegativeInteger(b.max_completion_tokens) ?? nonNegativeInteger(b.max_tokens);
  return {
    model: b.model,
    stream: b.stream === true,
    lastUserText,
    inputTokens,
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    streamUsage: b.stream === true && streamOptions?.include_usage === true,
  };
}

function usage(reply: Reply): Record<string, unknown> {
  return {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

export const openAiFormat: WireFormat = {
  name: 'openai',
  credentialKind: 'api-key',

  match(method: string, pathname: string): RouteMatch | undefined {
    return method === 'POST' && pathname === '/v1/chat/completions' ? {} : undefined;
  },

  credential(headers: IncomingHttpHeaders): string {
    return bearerToken(headers);
  },

  parse(body: unknown): ChatRequest | ParseFailure {
    return parseOpenAiRequest(body);
  },

  renderJson(reply: Reply, req: ChatRequest, ctx: RenderContext): string {
    return JSON.stringify({
      id: `chatcmpl-${ctx.id}`,
      object: 'chat.completion',
      created: ctx.created,
      model: req.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply.text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: reply.finish,
        },
      ],
      usage: usage(reply),
      service_tier: 'default',
      system_fingerprint: FINGERPRINT,
    });
  },

  renderStream(reply: Reply, req: ChatRequest, ctx: RenderContext, chunks: number): string[] {
    // Every chunk shares the same envelope; only the choices (and usage) differ.
    const head = `data: {"id":${JSON.stringify(`chatcmpl-${ctx.id}`)},"object":"chat.completion.chunk","created":${ctx.created},"model":${JSON.stringify(req.model)},"service_tier":"default","system_fingerprint":"${FINGERPRINT}","choices":`;
    const tail = req.streamUsage ? ',"usage":null}\n\n' : '}\n\n';
    const choice = (delta: object, finish: string | null): string =>
      `[${JSON.stringify({ index: 0, delta, logprobs: null, finish_reason: finish })}]`;
    const events = [head + choice({ role: 'assistant', content: '', refusal: null }, null) + tail];
    for (const piece of splitIntoChunks(reply.text, chunks)) {
      if (piece !== '') events.push(head + choice({ content: piece }, null) + tail);
    }
    events.push(head + choice({}, reply.finish) + tail);
    if (req.streamUsage) events.push(`${head}[],"usage":${JSON.stringify(usage(reply))}}\n\n`);
    events.push('data: [DONE]\n\n');
    return events;
  },

  renderError(status: number, message?: string): string {
    const defaults = errorDefaults(status);
    return JSON.stringify({
      error: { message: message ?? defaults.message, type: defaults.type, param: null, code: defaults.code },
    });
  },
};
