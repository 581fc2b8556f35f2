import { AppError } from '@aigw/errors';
import type { Exchange, PassthroughFactory, StreamTranslator, UpstreamTarget } from '../../adapters/provider-adapter.js';
import { midStreamError, truncatedStream } from '../../adapters/stream-failure.js';
import type { IrError, IrUsage } from '../../ir/chat-ir.js';
import { jsonMembers, withMembers } from '../../ir/json-members.js';
import { asArray, asRecord, asString, parseJson, type JsonRecord } from '../../ir/json-shape.js';
import { assertJsonDepth, formatSseEvent, objectBody, type SseEvent } from '@aigw/formats';
import { anthropicErrorBody, anthropicTypeStatus, decodeAnthropicError } from './anthropic-errors.js';
import { anthropicHeaders, anthropicMessagesUrl, isOAuthAccount, withClaudeCodeSystem } from './anthropic-upstream.js';
import { anthropicUsageToIr } from './anthropic-usage.js';

// Anthropic client → Anthropic upstream: the body goes out as the client wrote it (model and stream
// set for this call, byte for byte otherwise when it need not be parsed) and the answer comes back event for event, so thinking signatures, cache
// breakpoints and beta fields survive. Only the events that carry usage, errors or the end are read.

/** Forwards events; reads usage from message_start and message_delta; an error event breaks the stream. */
export class AnthropicPassthroughStream implements StreamTranslator {
  #usage: JsonRecord = {};
  #seen = false;
  #finished = false;

  begin(): string {
    return '';
  }

  push(event: SseEvent): string {
    // Anthropic names every event; a compatible server that does not still names it in `data.type`.
    const type = event.event !== 'message' ? event.event : (asString(asRecord(parseJson(event.data))?.type) ?? 'message');
    if (type === 'message_start' || type === 'message_delta' || type === 'error') this.#read(type, event.data);
    else if (type === 'message_stop') this.#finished = true;
    return formatSseEvent(event.data, event.event === 'message' ? undefined : event.event);
  }

  end(): string {
    if (!this.#finished) throw truncatedStream();
    return '';
  }

  fail(error: IrError): string {
    return formatSseEvent(anthropicErrorBody(error), 'error');
  }

  usage(): IrUsage | undefined {
    return this.#seen ? anthropicUsageToIr(this.#usage) : undefined;
  }

  #read(type: string, text: string): void {
    const data = asRecord(parseJson(text));
    if (type === 'error') {
      const error = asRecord(data?.error);
      throw midStreamError(asString(error?.message) ?? 'upstream reported an error mid-stream', anthropicTypeStatus(asString(error?.type)));
    }
    const usage = asRecord(type === 'message_start' ? asRecord(data?.message)?.usage : data?.usage);
    if (usage === undefined) return;
    this.#seen = true;
    for (const [key, value] of Object.entries(usage)) if (typeof value === 'number') this.#usage[key] = value;
  }
}

/** The upstream body: the client's, with the routed model and this call's stream flag. */
export function anthropicPassthroughBody(body: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown> {
  const forwarded: Record<string, unknown> = { ...body, model };
  if (stream) forwarded.stream = true;
  else delete forwarded.stream;
  return forwarded;
}

export const anthropicPassthrough: PassthroughFactory = {
  format: 'anthropic',
  createExchange(body, target, stream): Exchange {
    // The body passed its format's rules at ingress (anthropicFormat.checkRequest); the upstream judges the
    // rest. Only the depth is checked again: it guards this service's own recursion, not a rule of the format.
    const fields = objectBody(body);
    assertJsonDepth(fields);
    const forwarded = withClaudeCodeSystem(anthropicPassthroughBody(fields, target.model, stream), target);
    return anthropicExchange(JSON.stringify(forwarded), target, stream);
  },
  createExchangeFromBytes(raw, target, stream): Exchange | undefined {
    // An OAuth account's body gets Claude Code's system prompt: that one is parsed and rebuilt.
    if (isOAuthAccount(target)) return undefined;
    const members = jsonMembers(raw);
    if (members === undefined) return undefined;
    const forwarded = withMembers(members, { model: target.model, stream: stream ? true : undefined });
    return anthropicExchange(forwarded, target, stream);
  },
};

function anthropicExchange(body: string | Uint8Array, target: UpstreamTarget, stream: boolean): Exchange {
  return {
    request: { url: anthropicMessagesUrl(target.baseUrl), headers: anthropicHeaders(target, stream), body },
    droppedFields: [],
    readResponse(text) {
      const root = asRecord(parseJson(text));
      if (root === undefined || asArray(root.content) === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer is not a message');
      return { body: text, usage: anthropicUsageToIr(root.usage) };
    },
    readError(status, text) {
      // An Anthropic-shaped error is already in the client's format; anything else is wrapped.
      if (asRecord(asRecord(parseJson(text))?.error) !== undefined) return { body: text };
      return { body: anthropicErrorBody(decodeAnthropicError(status, text)) };
    },
    errorBody: anthropicErrorBody,
    openStream: () => new AnthropicPassthroughStream(),
  };
}
