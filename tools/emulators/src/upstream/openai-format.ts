import type { IncomingHttpHeaders } from 'node:http';
import { parseOpenAiRequest } from './openai-request.js';
import type { ChatRequest, Reply } from './reply.js';
import { answerPieces, jsonPieces, textPieces } from './stream-pieces.js';
import { bearerToken, type ParseFailure, type RenderContext, type RouteMatch, type WireFormat } from './wire-format.js';

// OpenAI Chat Completions: POST /v1/chat/completions (and /api/paas/v4/chat/completions, where Z.ai's and
// Zhipu's OpenAI-compatible GLM API lives), `Authorization: Bearer <key>`.
// Stream: role delta, content deltas, a finish_reason chunk, a usage chunk (choices: []) when
// stream_options.include_usage, then `data: [DONE]`. With include_usage every chunk carries
// `"usage": null`, as the real API does. A tool call streams its id and name first, then the
// arguments in several fragments; reasoning comes as `reasoning_content` (DeepSeek / vLLM style).

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

/** OpenAI's error JSON for a status; `param` and `code` override the status's usual ones where a refusal names them. */
export function openAiErrorJson(status: number, message?: string, named?: { param?: string; code?: string }): string {
  const defaults = errorDefaults(status);
  return JSON.stringify({ error: { message: message ?? defaults.message, type: defaults.type, param: named?.param ?? null, code: named?.code ?? defaults.code } });
}

const errorObject = (status: number, message?: string): string => openAiErrorJson(status, message);

/** Usage: cached tokens are part of prompt_tokens, reasoning tokens part of completion_tokens. */
function usage(reply: Reply): Record<string, unknown> {
  const cached = reply.cachedTokens ?? 0;
  const reasoning = reply.thinking?.tokens ?? 0;
  const prompt = reply.inputTokens + cached;
  const completion = reply.outputTokens + reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}

const callId = (ctx: RenderContext): string => `call_${ctx.id}`;

export const openAiFormat: WireFormat = {
  name: 'openai',
  credentialKind: 'api-key',

  match(method: string, pathname: string): RouteMatch | undefined {
    return method === 'POST' && (pathname === '/v1/chat/completions' || pathname === '/api/paas/v4/chat/completions') ? {} : undefined;
  },

  credential(headers: IncomingHttpHeaders): string {
    return bearerToken(headers);
  },

  parse(body: unknown): ChatRequest | ParseFailure {
    return parseOpenAiRequest(body);
  },

  renderJson(reply: Reply, req: ChatRequest, ctx: RenderContext): string {
    const call = reply.toolCall;
    const message: Record<string, unknown> = { role: 'assistant', content: call === undefined ? reply.text : null };
    if (reply.thinking !== undefined) message.reasoning_content = reply.thinking.text;
    if (call !== undefined) {
      message.tool_calls = [{ id: callId(ctx), type: 'function', function: { name: call.name, arguments: call.argumentsJson } }];
    }
    message.refusal = null;
    message.annotations = [];
    return JSON.stringify({
      id: `chatcmpl-${ctx.id}`,
      object: 'chat.completion',
      created: ctx.created,
      model: req.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finish }],
      usage: usage(reply),
      service_tier: 'default',
      system_fingerprint: FINGERPRINT,
    });
  },

  renderStream(reply: Reply, req: ChatRequest, ctx: RenderContext, chunks: number | undefined): string[] {
    // Every chunk shares the same envelope; only the choices (and usage) differ.
    const head = `data: {"id":${JSON.stringify(`chatcmpl-${ctx.id}`)},"object":"chat.completion.chunk","created":${ctx.created},"model":${JSON.stringify(req.model)},"service_tier":"default","system_fingerprint":"${FINGERPRINT}","choices":`;
    const tail = req.streamUsage ? ',"usage":null}\n\n' : '}\n\n';
    const choice = (delta: object, finish: string | null): string =>
      `[${JSON.stringify({ index: 0, delta, logprobs: null, finish_reason: finish })}]`;
    const events: string[] = [];
    const call = reply.toolCall;
    const callHead = call === undefined ? undefined : { index: 0, id: callId(ctx), type: 'function', function: { name: call.name, arguments: '' } };
    if (callHead !== undefined && reply.thinking === undefined) {
      // As the real API does, a tool-call answer opens with the role and the call's id and name together.
      events.push(head + choice({ role: 'assistant', content: null, tool_calls: [callHead], refusal: null }, null) + tail);
    } else {
      events.push(head + choice({ role: 'assistant', content: '', refusal: null }, null) + tail);
      if (reply.thinking !== undefined) {
        for (const piece of textPieces(reply.thinking.text, chunks)) {
          if (piece !== '') events.push(head + choice({ reasoning_content: piece }, null) + tail);
        }
      }
      if (callHead !== undefined) events.push(head + choice({ tool_calls: [callHead] }, null) + tail);
    }
    if (call !== undefined) {
      for (const fragment of jsonPieces(call.argumentsJson, chunks)) {
        events.push(head + choice({ tool_calls: [{ index: 0, function: { arguments: fragment } }] }, null) + tail);
      }
    } else {
      for (const piece of answerPieces(reply, chunks)) {
        if (piece !== '') events.push(head + choice({ content: piece }, null) + tail);
      }
    }
    events.push(head + choice({}, reply.finish) + tail);
    if (req.streamUsage) events.push(`${head}[],"usage":${JSON.stringify(usage(reply))}}\n\n`);
    events.push('data: [DONE]\n\n');
    return events;
  },

  renderError(status: number, message?: string): string {
    return errorObject(status, message);
  },

  renderStreamError(status: number): string {
    return `data: ${errorObject(status)}\n\n`;
  },
};
