import { AppError } from '@aigw/errors';
import type { Exchange, StreamTranslator, UpstreamRequest } from '../../adapters/provider-adapter.js';
import { midStreamError, truncatedStream } from '../../adapters/stream-failure.js';
import type { IrError, IrUsage } from '../../ir/chat-ir.js';
import { asArray, asCount, asRecord, parseJson, type JsonRecord } from '../../ir/json-shape.js';
import { EventFramer, type SseEvent, type StreamFraming } from '@aigw/formats';
import { decodeGoogleError, googleErrorBody } from './google-errors.js';
import { geminiUsageToIr } from './gemini-response.js';

// Gemini client → a Google upstream that takes the same GenerateContent body: the Gemini API as it
// is, or Cloud Code with the body wrapped as {project, model, request} and every answer wrapped as
// {response}. The client's body travels untouched (safety settings, cached content, signatures and
// all); answers come back as they came, unwrapped where needed.

/** Takes the GenerateContentResponse out of an upstream event or body (Cloud Code's envelope, or none). */
export type Unwrap = ((root: JsonRecord) => JsonRecord | undefined) | undefined;

function isFinal(response: JsonRecord): boolean {
  const candidate = asRecord(asArray(response.candidates)?.[0]);
  return candidate?.finishReason !== undefined || asRecord(response.promptFeedback)?.blockReason !== undefined;
}

/**
 * Forwards events (unwrapped) in the client's framing (SSE, or one JSON array); reads usage; an error
 * event or a missing final event breaks the stream.
 */
export class GooglePassthroughStream implements StreamTranslator {
  #usage: IrUsage | undefined;
  #finished = false;
  readonly #framer: EventFramer;

  constructor(
    private readonly unwrap: Unwrap,
    framing?: StreamFraming,
  ) {
    this.#framer = new EventFramer(framing);
  }

  begin(): string {
    return '';
  }

  push(event: SseEvent): string {
    const root = asRecord(parseJson(event.data));
    if (root === undefined) throw midStreamError('upstream sent an unreadable stream event');
    if (root.error !== undefined) {
      const code = asCount(asRecord(root.error)?.code);
      throw midStreamError(decodeGoogleError(0, event.data).message, code >= 400 ? code : undefined);
    }
    const response = this.unwrap === undefined ? root : this.unwrap(root);
    if (response === undefined) throw midStreamError('upstream sent an unreadable stream event');
    if (response.usageMetadata !== undefined) this.#usage = geminiUsageToIr(response.usageMetadata);
    if (isFinal(response)) this.#finished = true;
    return this.#framer.event(this.unwrap === undefined ? event.data : JSON.stringify(response));
  }

  end(): string {
    if (!this.#finished) throw truncatedStream();
    return this.#framer.close();
  }

  fail(error: IrError): string {
    return this.#framer.event(googleErrorBody(error)) + this.#framer.close();
  }

  usage(): IrUsage | undefined {
    return this.#usage;
  }
}

/** The exchange of a pass-through call already built for its upstream. */
export function googlePassthroughExchange(request: UpstreamRequest, unwrap: Unwrap, framing?: StreamFraming): Exchange {
  return {
    request,
    droppedFields: [],
    readResponse(text) {
      const root = asRecord(parseJson(text));
      const response = root === undefined || unwrap === undefined ? root : unwrap(root);
      if (response === undefined || (response.candidates === undefined && response.promptFeedback === undefined)) {
        throw new AppError('UPSTREAM_ERROR', 'upstream answer has no candidates');
      }
      return { body: unwrap === undefined ? text : JSON.stringify(response), usage: geminiUsageToIr(response.usageMetadata) };
    },
    readError(status, text) {
      const decoded = decodeGoogleError(status, text);
      // A Google-shaped error is already in the client's format; anything else is wrapped.
      const parsed = parseJson(text);
      const root = asRecord(Array.isArray(parsed) ? parsed[0] : parsed);
      const body = asRecord(root?.error) !== undefined ? JSON.stringify(root) : googleErrorBody(decoded);
      return { body, ...(decoded.retryAfterMs === undefined ? {} : { retryAfterMs: decoded.retryAfterMs }) };
    },
    errorBody: googleErrorBody,
    openStream: () => new GooglePassthroughStream(unwrap, framing),
  };
}
