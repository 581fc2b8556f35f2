import type { IncomingHttpHeaders } from 'node:http';
import { renderAnthropicError } from './anthropic-error.js';
import { parseAnthropicRequest } from './anthropic-request.js';
import type { ChatRequest, Reply } from './reply.js';
import { answerPieces, jsonPieces, textPieces } from './stream-pieces.js';
import { bearerToken, type CredentialKind, type ParseFailure, type RenderContext, type RouteMatch, type WireFormat } from './wire-format.js';

// Anthropic Messages: POST /v1/messages, `x-api-key: <key>`, `anthropic-version` required. A Claude
// subscription's OAuth access token goes as `Authorization: Bearer` (checked like every OAuth bearer) and only
// with the `oauth-2025-04-20` beta; without it Anthropic answers 401 "OAuth authentication is currently not
// supported.". An x-api-key wins when both are sent.
// Stream: message_start, then per content block content_block_start / content_block_delta… /
// content_block_stop (a ping after the first start, as the real API sends), message_delta with the
// stop reason and the cumulative output_tokens, message_stop.
// Usage: input_tokens does NOT include cache reads (cache_read_input_tokens is reported beside it, as
// Anthropic does), unlike OpenAI's prompt_tokens and Gemini's promptTokenCount which include them.
// output_tokens includes thinking tokens, as Anthropic bills them.

type Block = Record<string, unknown>;

/** The beta that lets an OAuth access token through. */
const OAUTH_BETA = 'oauth-2025-04-20';

function apiKey(headers: IncomingHttpHeaders): string {
  const key = headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : '';
}

function sse(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function stopReason(reply: Reply): string {
  if (reply.finish === 'tool_calls') return 'tool_use';
  return reply.finish === 'length' ? 'max_tokens' : 'end_turn';
}

function outputTokens(reply: Reply): number {
  return reply.outputTokens + (reply.thinking?.tokens ?? 0);
}

function usage(reply: Reply, output: number): Block {
  return {
    input_tokens: reply.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: reply.cachedTokens ?? 0,
    output_tokens: output,
  };
}

const toolUseId = (ctx: RenderContext): string => `toolu_${ctx.id}`;

function contentBlocks(reply: Reply, ctx: RenderContext): Block[] {
  const blocks: Block[] = [];
  if (reply.thinking !== undefined) blocks.push({ type: 'thinking', thinking: reply.thinking.text, signature: reply.thinking.signature });
  const call = reply.toolCall;
  if (call !== undefined) blocks.push({ type: 'tool_use', id: toolUseId(ctx), name: call.name, input: call.arguments });
  else blocks.push({ type: 'text', text: reply.text });
  return blocks;
}

export const anthropicFormat: WireFormat = {
  name: 'anthropic',
  credentialKind: 'api-key',

  match(method: string, pathname: string): RouteMatch | undefined {
    return method === 'POST' && pathname === '/v1/messages' ? {} : undefined;
  },

  credential(headers: IncomingHttpHeaders): string {
    const key = apiKey(headers);
    return key !== '' ? key : bearerToken(headers);
  },

  credentialKindOf(headers: IncomingHttpHeaders): CredentialKind {
    return apiKey(headers) === '' && bearerToken(headers) !== '' ? 'oauth-bearer' : 'api-key';
  },

  authError(headers: IncomingHttpHeaders): string | undefined {
    if (apiKey(headers) !== '' || bearerToken(headers) === '') return undefined;
    const betas = headers['anthropic-beta'];
    const listed = typeof betas === 'string' && betas.split(',').some((beta) => beta.trim() === OAUTH_BETA);
    return listed ? undefined : 'OAuth authentication is currently not supported.';
  },

  headerError(headers: IncomingHttpHeaders): string | undefined {
    const version = headers['anthropic-version'];
    return typeof version === 'string' && version.trim() !== '' ? undefined : 'anthropic-version: header is required';
  },

  parse(body: unknown): ChatRequest | ParseFailure {
    return parseAnthropicRequest(body);
  },

  renderJson(reply: Reply, req: ChatRequest, ctx: RenderContext): string {
    return JSON.stringify({
      id: `msg_${ctx.id}`,
      type: 'message',
      role: 'assistant',
      model: req.model,
      content: contentBlocks(reply, ctx),
      stop_reason: stopReason(reply),
      stop_sequence: null,
      usage: usage(reply, outputTokens(reply)),
    });
  },

  renderStream(reply: Reply, req: ChatRequest, ctx: RenderContext, chunks: number | undefined): string[] {
    const message = { id: `msg_${ctx.id}`, type: 'message', role: 'assistant', model: req.model, content: [], stop_reason: null, stop_sequence: null };
    const events = [sse('message_start', { type: 'message_start', message: { ...message, usage: usage(reply, 1) } })];
    let index = 0;
    const open = (block: Block): void => {
      events.push(sse('content_block_start', { type: 'content_block_start', index, content_block: block }));
      if (index === 0) events.push(sse('ping', { type: 'ping' }));
    };
    const delta = (d: Block): void => {
      events.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: d }));
    };
    const close = (): void => {
      events.push(sse('content_block_stop', { type: 'content_block_stop', index }));
      index++;
    };
    if (reply.thinking !== undefined) {
      open({ type: 'thinking', thinking: '', signature: '' });
      for (const piece of textPieces(reply.thinking.text, chunks)) delta({ type: 'thinking_delta', thinking: piece });
      delta({ type: 'signature_delta', signature: reply.thinking.signature });
      close();
    }
    const call = reply.toolCall;
    if (call !== undefined) {
      open({ type: 'tool_use', id: toolUseId(ctx), name: call.name, input: {} });
      delta({ type: 'input_json_delta', partial_json: '' }); // the real API opens with an empty fragment
      for (const fragment of jsonPieces(call.argumentsJson, chunks)) delta({ type: 'input_json_delta', partial_json: fragment });
      close();
    } else {
      open({ type: 'text', text: '' });
      for (const piece of answerPieces(reply, chunks)) if (piece !== '') delta({ type: 'text_delta', text: piece });
      close();
    }
    events.push(
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason(reply), stop_sequence: null }, usage: { output_tokens: outputTokens(reply) } }),
      sse('message_stop', { type: 'message_stop' }),
    );
    return events;
  },

  renderError(status: number, message?: string): string {
    return renderAnthropicError(status, message);
  },

  renderStreamError(status: number): string {
    return `event: error\ndata: ${renderAnthropicError(status)}\n\n`;
  },
};
