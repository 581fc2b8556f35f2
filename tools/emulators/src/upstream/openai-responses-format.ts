import type { IncomingHttpHeaders } from 'node:http';
import type { JsonObject } from './json-fields.js';
import { openAiErrorJson } from './openai-format.js';
import { answerIds, answerItem, outputItems, outputText, reasoningItem, responseObject, showsSummary } from './openai-responses-output.js';
import { parseResponsesRequest, type ResponsesRequest } from './openai-responses-request.js';
import type { ChatRequest, Reply } from './reply.js';
import { KEPT_RESPONSES } from './responses-memory.js';
import { answerPieces, jsonPieces, textPieces } from './stream-pieces.js';
import { bearerToken, type ParseFailure, type RenderContext, type RouteMatch, type WireFormat } from './wire-format.js';

// OpenAI Responses API: POST /v1/responses (and /api/paas/v4/responses beside the Chat Completions path the
// openai format serves), `Authorization: Bearer <key>`, OpenAI's error JSON. A stream is OpenAI's typed
// events, each `event: <type>` with `{type, …, sequence_number}` counting from 0: response.created,
// response.in_progress, then per output item output_item.added, its parts and deltas, output_item.done, and
// finally response.completed (response.incomplete when cut at max_output_tokens). A failure mid-answer is a
// response.failed event. A kept response (store, the default) can be continued by previous_response_id.

const PATHS: ReadonlySet<string> = new Set(['/v1/responses', '/api/paas/v4/responses']);

/** The error code a failed response names for a status. */
function failureCode(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  return status >= 500 ? 'server_error' : 'invalid_prompt';
}

const asResponses = (req: ChatRequest): ResponsesRequest => req as ResponsesRequest;

/** Keeps a finished answer for previous_response_id, when the request let it be stored. */
function keep(req: ResponsesRequest, ctx: RenderContext, output: JsonObject[]): void {
  if (req.responses.store) KEPT_RESPONSES.keep(answerIds(ctx).response, { items: req.responses.items, output });
}

/** Events of one streamed output item, from added to done (without sequence numbers). */
function itemEvents(item: JsonObject, index: number, reply: Reply, req: ResponsesRequest, chunks: number | undefined): JsonObject[] {
  const base = { item_id: item.id, output_index: index };
  const events: JsonObject[] = [];
  if (item.type === 'reasoning') {
    events.push({ type: 'response.output_item.added', output_index: index, item: { id: item.id, type: 'reasoning', summary: [] } });
    const text = reply.thinking?.text ?? '';
    if (showsSummary(req)) {
      const part = { type: 'summary_text', text };
      events.push({ type: 'response.reasoning_summary_part.added', ...base, summary_index: 0, part: { ...part, text: '' } });
      for (const delta of textPieces(text, chunks)) {
        if (delta !== '') events.push({ type: 'response.reasoning_summary_text.delta', ...base, summary_index: 0, delta });
      }
      events.push({ type: 'response.reasoning_summary_text.done', ...base, summary_index: 0, text });
      events.push({ type: 'response.reasoning_summary_part.done', ...base, summary_index: 0, part });
    }
  } else if (item.type === 'function_call') {
    events.push({ type: 'response.output_item.added', output_index: index, item: { ...item, status: 'in_progress', arguments: '' } });
    const args = item.arguments as string;
    for (const delta of jsonPieces(args, chunks)) events.push({ type: 'response.function_call_arguments.delta', ...base, delta });
    events.push({ type: 'response.function_call_arguments.done', ...base, arguments: args });
  } else {
    events.push({ type: 'response.output_item.added', output_index: index, item: { ...item, status: 'in_progress', content: [] } });
    const part = { ...base, content_index: 0 };
    events.push({ type: 'response.content_part.added', ...part, part: outputText('') });
    for (const delta of answerPieces(reply, chunks)) {
      if (delta !== '') events.push({ type: 'response.output_text.delta', ...part, delta, logprobs: [] });
    }
    events.push({ type: 'response.output_text.done', ...part, text: reply.text, logprobs: [] });
    events.push({ type: 'response.content_part.done', ...part, part: outputText(reply.text) });
  }
  events.push({ type: 'response.output_item.done', output_index: index, item });
  return events;
}

/** One SSE event as OpenAI frames it. */
function frame(event: JsonObject, sequence: number): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence })}\n\n`;
}

export const openAiResponsesFormat: WireFormat = {
  name: 'responses',
  credentialKind: 'api-key',

  match(method: string, pathname: string): RouteMatch | undefined {
    return method === 'POST' && PATHS.has(pathname) ? {} : undefined;
  },

  credential(headers: IncomingHttpHeaders): string {
    return bearerToken(headers);
  },

  parse(body: unknown): ChatRequest | ParseFailure {
    return parseResponsesRequest(body);
  },

  renderJson(reply: Reply, chat: ChatRequest, ctx: RenderContext): string {
    const req = asResponses(chat);
    const output = outputItems(reply, req, ctx);
    keep(req, ctx, output);
    return JSON.stringify(responseObject(req, ctx, { reply, output }));
  },

  renderStream(reply: Reply, chat: ChatRequest, ctx: RenderContext, chunks: number | undefined): string[] {
    const req = asResponses(chat);
    const reasoning = reasoningItem(reply, req, ctx);
    const output = reasoning === undefined ? [answerItem(reply, req, ctx)] : [reasoning, answerItem(reply, req, ctx)];
    keep(req, ctx, output);
    const events: JsonObject[] = [
      { type: 'response.created', response: responseObject(req, ctx, 'in_progress') },
      { type: 'response.in_progress', response: responseObject(req, ctx, 'in_progress') },
    ];
    output.forEach((item, index) => events.push(...itemEvents(item, index, reply, req, chunks)));
    const final = responseObject(req, ctx, { reply, output });
    events.push({ type: final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', response: final });
    return events.map(frame);
  },

  renderError(status: number, message?: string, failure?: ParseFailure): string {
    return openAiErrorJson(status, message, failure);
  },

  renderStreamError(status: number, at?: { req: ChatRequest; ctx: RenderContext; sent: number }): string {
    const code = failureCode(status);
    const message = status === 429 ? 'Rate limit reached for requests.' : 'The server had an error while processing your request. Sorry about that!';
    if (at === undefined) return frame({ type: 'error', code, message, param: null }, 0);
    const response = { ...responseObject(asResponses(at.req), at.ctx, 'in_progress'), status: 'failed', error: { code, message } };
    return frame({ type: 'response.failed', response }, at.sent);
  },
};
