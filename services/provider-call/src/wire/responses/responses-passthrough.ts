import { AppError } from '@aigw/errors';
import type { Exchange, PassthroughFactory, StreamTranslator, UpstreamTarget } from '../../adapters/provider-adapter.js';
import type { EncodeContext } from '../../adapters/client-codec.js';
import { joinUrl, upstreamHeaders } from '../../adapters/upstream-headers.js';
import { truncatedStream } from '../../adapters/stream-failure.js';
import type { IrError, IrUsage } from '../../ir/chat-ir.js';
import { asArray, asRecord, asString, parseJson } from '../../ir/json-shape.js';
import { assertJsonDepth, formatSseEvent, objectBody, openAiErrorNames, responsesErrorEvent, type SseEvent } from '@aigw/formats';
import { decodeOpenAiError, openAiErrorBody } from '../openai/openai-errors.js';
import { chatGptAccountId, codexRequest } from './codex-backend.js';
import { responsesUsageToIr } from './responses-response-decoder.js';
import { responsesEventError } from './responses-stream-decoder.js';

// Responses client → Responses upstream: the body goes out as the client wrote it (only `model` and the
// stream flag set) and the answer comes back as it came, with one change: the response names itself by the
// id ingress chose (InvokeRequest.response_id), under which ingress stores it for previous_response_id.
// Only the events that carry the response object are parsed (its id, and usage for the log).

/** `"id":"<id>"` as JSON writes it, with any spacing; the id's characters taken literally. */
function idPattern(id: string): RegExp {
  return new RegExp(`("id"\\s*:\\s*)${JSON.stringify(id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g');
}

/**
 * `text` with the response's own id `from` replaced by `to`. Only the response object has that id (its
 * items are msg_/fc_/rs_…), and a key ending in `_id` (previous_response_id) does not match `"id"`.
 */
export function renameResponseId(text: string, from: string, to: string): string {
  return text.replace(idPattern(from), `$1${JSON.stringify(to)}`);
}

/** Events that carry the whole response object (and so its id). */
const RESPONSE_EVENTS: ReadonlySet<string> = new Set(['response.created', 'response.in_progress', 'response.queued', 'response.completed', 'response.incomplete', 'response.failed']);
const FINAL_EVENTS: ReadonlySet<string> = new Set(['response.completed', 'response.incomplete']);

/** The event's type: the SSE `event:` name OpenAI sends, else the `"type"` at the start of the data. */
function eventType(event: SseEvent): string {
  if (event.event !== 'message') return event.event;
  return /^\s*\{\s*"type"\s*:\s*"([^"]+)"/.exec(event.data)?.[1] ?? '';
}

/**
 * Forwards the upstream's events; renames the response; reads usage from the final event. A failure event
 * (`response.failed`, `error`) is forwarded to the client as the upstream sent it and the stream reported
 * broken; a body that ends before a final event is broken too, never a clean end: it ends as a translated
 * stream does, with an `error` event (the openai SDK throws on it) and `response.failed` (what Codex reads).
 */
export class ResponsesPassthroughStream implements StreamTranslator {
  #usage: IrUsage | undefined;
  #finished = false;
  #upstreamId: string | undefined;
  #lastSequence = -1;
  /** The upstream's own failure event, already in the client's format, sent in place of ours. */
  #failureEvent: string | undefined;
  /** The latest response object the upstream sent (renamed): what our own `response.failed` reports as failed. */
  #response: Record<string, unknown> | undefined;

  constructor(private readonly responseId: string | undefined) {}

  begin(): string {
    return '';
  }

  push(event: SseEvent): string {
    const type = eventType(event);
    let data = event.data;
    if (RESPONSE_EVENTS.has(type)) data = this.#renamed(type, data);
    const sequence = /"sequence_number"\s*:\s*(\d+)/.exec(data)?.[1];
    if (sequence !== undefined) this.#lastSequence = Number(sequence);
    const framed = formatSseEvent(data, event.event === 'message' ? undefined : event.event);
    if (type === 'response.failed' || type === 'error') {
      this.#failureEvent = framed;
      const root = asRecord(parseJson(data));
      throw responsesEventError(type === 'error' ? root : asRecord(asRecord(root?.response)?.error), 'upstream response failed');
    }
    return framed;
  }

  end(): string {
    if (!this.#finished) throw truncatedStream();
    return '';
  }

  fail(error: IrError): string {
    if (this.#failureEvent !== undefined) return this.#failureEvent;
    const errorEvent = responsesErrorEvent(error, this.#lastSequence + 1);
    const framed = formatSseEvent(errorEvent.data, errorEvent.event);
    if (this.#response === undefined) return framed;
    const [, code] = openAiErrorNames(error);
    const response = { ...this.#response, status: 'failed', error: { code, message: error.message } };
    return framed + formatSseEvent(JSON.stringify({ type: 'response.failed', response, sequence_number: this.#lastSequence + 2 }), 'response.failed');
  }

  usage(): IrUsage | undefined {
    return this.#usage;
  }

  /** The event's data with the response renamed; the final events also give the usage. */
  #renamed(type: string, data: string): string {
    const response = asRecord(asRecord(parseJson(data))?.response);
    this.#upstreamId ??= asString(response?.id);
    if (FINAL_EVENTS.has(type)) {
      this.#finished = true;
      this.#usage = responsesUsageToIr(response?.usage);
    }
    const renames = this.responseId !== undefined && this.#upstreamId !== undefined;
    if (response !== undefined) this.#response = renames && response.id === this.#upstreamId ? { ...response, id: this.responseId } : response;
    return renames ? renameResponseId(data, this.#upstreamId as string, this.responseId as string) : data;
  }
}

/** The upstream body: the client's, with the routed model and this call's stream flag. */
export function responsesPassthroughBody(body: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown> {
  const forwarded: Record<string, unknown> = { ...body, model };
  if (stream) forwarded.stream = true;
  else if (forwarded.stream !== undefined) forwarded.stream = false;
  return forwarded;
}

/** Builds the pass-through exchange; `responseId`: the id the answer must carry (undefined: the upstream's). */
export function responsesPassthroughExchange(body: unknown, target: UpstreamTarget, stream: boolean, responseId: string | undefined): Exchange {
  // The body passed its format's rules at ingress; the upstream judges the rest. Only the depth is checked
  // again: it guards this service's own recursion, not a rule of the format.
  const fields = objectBody(body);
  assertJsonDepth(fields);
  const forwarded = responsesPassthroughBody(fields, target.model, stream);
  const request = { url: joinUrl(target.baseUrl, '/responses'), headers: upstreamHeaders(target, stream), body: JSON.stringify(forwarded) };
  const chatGpt = chatGptAccountId(target);
  const codex = chatGpt === undefined ? undefined : codexRequest(request, forwarded, chatGpt, stream);
  return {
    request: codex?.request ?? request,
    droppedFields: codex?.dropped ?? [],
    readResponse(text) {
      const root = asRecord(parseJson(text));
      const upstreamId = asString(root?.id);
      if (root === undefined || asArray(root.output) === undefined || upstreamId === undefined) {
        throw new AppError('UPSTREAM_ERROR', 'upstream answer is not a response object');
      }
      const renamed = responseId === undefined ? text : renameResponseId(text, upstreamId, responseId);
      return { body: renamed, usage: responsesUsageToIr(root.usage) };
    },
    readError(status, text) {
      // An OpenAI-shaped error is already in the client's format; anything else (HTML, proxy text) is wrapped.
      if (asRecord(asRecord(parseJson(text))?.error) !== undefined) return { body: text };
      return { body: openAiErrorBody(decodeOpenAiError(status, text)) };
    },
    errorBody: openAiErrorBody,
    openStream: () => new ResponsesPassthroughStream(responseId),
  };
}

/** A ctx's response id: empty means "none chosen" (the upstream's id stays). */
export function chosenResponseId(ctx: EncodeContext): string | undefined {
  return ctx.responseId === undefined || ctx.responseId === '' ? undefined : ctx.responseId;
}

export const responsesPassthrough: PassthroughFactory = {
  format: 'responses',
  createExchange: (body, target, stream, ctx) => responsesPassthroughExchange(body, target, stream, chosenResponseId(ctx)),
};
