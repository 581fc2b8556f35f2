import type { StreamFraming } from '@aigw/formats';
import type { IrError, IrRequest, IrResponse, IrStreamEvent } from '../ir/chat-ir.js';

/** Wire formats the service knows; a client format and a provider can share one (pass-through). */
export type WireFormatName = 'openai' | 'anthropic' | 'gemini' | 'antigravity' | 'responses';

/** A decoded client request: the IR plus what the client asked about the answer's shape. */
export interface DecodedRequest {
  ir: IrRequest;
  /** The client wants usage in its stream (OpenAI stream_options.include_usage; always for Anthropic). */
  streamUsage: boolean;
}

export interface EncodeContext {
  requestId: string;
  /** Model named in answers when the upstream did not name one. */
  model: string;
  /** How a streamed answer is laid out: SSE (when absent), or a JSON array for Gemini clients that asked for one. */
  framing?: StreamFraming;
  /** The id a Responses answer names itself by (InvokeRequest.response_id); absent for other formats. */
  responseId?: string;
}

/** Turns IR stream events into the client's SSE text; one instance per stream, it keeps the framing state. */
export interface StreamEncoder {
  /** What the client gets as soon as the upstream accepted the request (role chunk, message_start). */
  begin(): string;
  push(event: IrStreamEvent): string;
  /** Closing events after a clean upstream end (finish reason, usage, terminator). */
  end(): string;
  /** The protocol's error event for a stream that broke (status: what the error maps to); nothing may follow it. */
  fail(error: IrError): string;
}

/** One client protocol: validate and decode its requests, encode answers, stream events and errors. */
export interface ClientCodec {
  readonly format: WireFormatName;
  /** True when the protocol states the prompt's token count before the first content (Anthropic's message_start). */
  readonly promptTokensFirst?: boolean;
  /** Validates the parsed body (AppError INVALID_REQUEST with a clear message) and maps it to the IR. */
  decodeRequest(body: unknown, stream: boolean): DecodedRequest;
  encodeResponse(response: IrResponse, ctx: EncodeContext): string;
  /** `promptTokens`: a local estimate of the prompt's tokens, for when the upstream's count comes too late. */
  createStreamEncoder(ctx: EncodeContext & { streamUsage: boolean; promptTokens?: number }): StreamEncoder;
  /** The protocol's error body (JSON) for an error status and message. */
  encodeError(error: IrError): string;
}
