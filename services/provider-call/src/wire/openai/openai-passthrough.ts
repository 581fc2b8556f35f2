import { AppError } from '@aigw/errors';
import type { Exchange, PassthroughFactory, StreamTranslator, UpstreamTarget } from '../../adapters/provider-adapter.js';
import { joinUrl, upstreamHeaders } from '../../adapters/upstream-headers.js';
import { midStreamError, truncatedStream } from '../../adapters/stream-failure.js';
import type { IrError, IrUsage } from '../../ir/chat-ir.js';
import { jsonMembers, memberText, withMembers } from '../../ir/json-members.js';
import { asArray, asCount, asRecord, asString, parseJson } from '../../ir/json-shape.js';
import { assertJsonDepth, formatSseEvent, objectBody, type SseEvent } from '@aigw/formats';
import { decodeOpenAiError, openAiErrorBody } from './openai-errors.js';
import { openAiUsageToIr } from './openai-response.js';

// OpenAI client → OpenAI-compatible upstream: the body goes out as the client wrote it (only `model`
// replaced) and the answer comes back byte for byte, event for event. Usage is still read for the log:
// streams ask the upstream for the usage chunk and hide it from clients that did not ask for it.

const USAGE_OBJECT = /"usage"\s*:\s*\{/;
// A quote inside a JSON string is escaped, so these only match keys (and a finish_reason value).
const ERROR_KEY = /"error"\s*:/;
const FINISH_REASON = /"finish_reason"\s*:\s*"/;

/**
 * Forwards complete SSE events; reads usage; drops the usage-only chunk unless the client asked for
 * it. An error chunk or a body that ends before any finish_reason is a broken stream (thrown), so the
 * client gets an error event instead of a clean end.
 */
export class OpenAiPassthroughStream implements StreamTranslator {
  #usage: IrUsage | undefined;
  #finished = false;

  constructor(private readonly streamUsage: boolean) {}

  begin(): string {
    return '';
  }

  push(event: SseEvent): string {
    if (event.data === '[DONE]') this.#finished = true;
    else if (!this.#finished && FINISH_REASON.test(event.data)) this.#finished = true;
    if (ERROR_KEY.test(event.data)) {
      const error = asRecord(parseJson(event.data))?.error;
      if (error !== undefined && error !== null) {
        const code = asCount(asRecord(error)?.code);
        throw midStreamError(asString(asRecord(error)?.message) ?? 'upstream reported an error mid-stream', code >= 400 ? code : undefined);
      }
    }
    // Only a chunk that carries usage is worth a parse; the rest is forwarded as it came.
    if (USAGE_OBJECT.test(event.data)) {
      const chunk = asRecord(parseJson(event.data));
      if (chunk !== undefined && asRecord(chunk.usage) !== undefined) {
        this.#usage = openAiUsageToIr(chunk.usage);
        if (!this.streamUsage && asArray(chunk.choices)?.length === 0) return '';
      }
    }
    return formatSseEvent(event.data, event.event === 'message' ? undefined : event.event);
  }

  end(): string {
    if (!this.#finished) throw truncatedStream();
    return '';
  }

  fail(error: IrError): string {
    return formatSseEvent(openAiErrorBody(error));
  }

  usage(): IrUsage | undefined {
    return this.#usage;
  }
}

/** The upstream body: the client's, with the routed model and the stream flags this call needs. */
export function passthroughBody(body: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown> {
  const forwarded: Record<string, unknown> = { ...body, model };
  if (stream) {
    forwarded.stream = true;
    forwarded.stream_options = { ...asRecord(body.stream_options), include_usage: true };
  } else {
    if (forwarded.stream !== undefined) forwarded.stream = false;
    delete forwarded.stream_options; // OpenAI rejects stream_options on non-streaming calls
  }
  return forwarded;
}

export const openAiPassthrough: PassthroughFactory = {
  format: 'openai',
  createExchange(body, target, stream): Exchange {
    // The body passed its format's rules at ingress (openAiFormat.checkRequest); the upstream judges the
    // rest. Only the depth is checked again: it guards this service's own recursion, not a rule of the format.
    const fields = objectBody(body);
    assertJsonDepth(fields);
    const streamUsage = asRecord(fields.stream_options)?.include_usage === true;
    return openAiExchange(JSON.stringify(passthroughBody(fields, target.model, stream)), target, stream, streamUsage);
  },
  createExchangeFromBytes(raw, target, stream): Exchange | undefined {
    const members = jsonMembers(raw);
    if (members === undefined) return undefined;
    const optionsText = memberText(members, 'stream_options');
    const options = optionsText === undefined ? undefined : asRecord(parseJson(optionsText));
    const streamUsage = options?.include_usage === true;
    // passthroughBody's changes, made on the bytes.
    const changes: Record<string, unknown> = stream
      ? { model: target.model, stream: true, stream_options: { ...options, include_usage: true } }
      : { model: target.model, stream: members.members.has('stream') ? false : undefined, stream_options: undefined };
    return openAiExchange(withMembers(members, changes), target, stream, streamUsage);
  },
};

function openAiExchange(body: string | Uint8Array, target: UpstreamTarget, stream: boolean, streamUsage: boolean): Exchange {
  return {
    request: {
      url: joinUrl(target.baseUrl, '/chat/completions'),
      headers: upstreamHeaders(target, stream),
      body,
    },
    droppedFields: [],
    readResponse(text) {
      const root = asRecord(parseJson(text));
      if (root === undefined || asArray(root.choices) === undefined) {
        throw new AppError('UPSTREAM_ERROR', 'upstream answer is not a chat completion');
      }
      return { body: text, usage: openAiUsageToIr(root.usage) };
    },
    readError(status, text) {
      // An OpenAI-shaped error is already in the client's format; anything else (HTML, proxy text) is wrapped.
      if (asRecord(asRecord(parseJson(text))?.error) !== undefined) return { body: text };
      return { body: openAiErrorBody(decodeOpenAiError(status, text)) };
    },
    errorBody: openAiErrorBody,
    openStream: () => new OpenAiPassthroughStream(streamUsage),
  };
}

