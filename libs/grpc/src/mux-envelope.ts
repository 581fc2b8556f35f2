import { AppError, isErrorCode } from '@aigw/errors';
import type { MuxCredit, MuxError } from '@aigw/proto';

// A multiplexed RPC (`rpc Mux(stream XMuxRequest) returns (stream XMuxResponse)`) carries many calls over one
// long-lived stream. Its messages share this shape: the request is {id, timeout_ms, oneof call {…, cancel}},
// the response {id, oneof result {…, error}}, and a call's result field has the name of its request field.
// A streamed call is answered by any number of results, then `end` (or `error`); it is paced by `credit`
// requests (an RPC without streamed calls leaves both fields out).

/** What one gRPC message of a multiplexed RPC carries: requests, or responses, in the order they were made. */
export interface MuxBatch<T> {
  messages: T[];
}

/** The fields every multiplexed request message has besides its call. */
export interface MuxRequestEnvelope {
  id: number;
  timeoutMs: number;
  /** W3C trace context of the caller's span for this call; '' when not traced. */
  traceparent?: string;
  cancel?: object | undefined;
  credit?: MuxCredit | undefined;
}

/** The fields every multiplexed response message has besides its result. */
export interface MuxResponseEnvelope {
  id: number;
  error?: MuxError | undefined;
  end?: object | undefined;
}

/**
 * Messages a server may send on a streamed call before the caller grants more (MuxCredit). It bounds what
 * one slow reader makes the others wait behind on their shared stream, and what either side holds for it.
 */
export const MUX_STREAM_WINDOW = 16;

/** The names of a request's calls (its oneof fields other than `cancel`). */
export type MuxCallName<Req> = Exclude<keyof Req, keyof MuxRequestEnvelope> & string;

/** A request without its envelope: exactly the one call field that is set. */
export type MuxCall<Req> = Omit<Req, keyof MuxRequestEnvelope>;

/** Largest timeout the uint32 field can carry (about 49 days; longer budgets are sent as this). */
export const MAX_TIMEOUT_MS = 0xffff_ffff;

/** An AppError as it travels in a response (code, message, retry hint; never the cause). */
export function toMuxError(error: AppError): MuxError {
  return { code: error.code, message: error.message, retryAfterMs: Math.max(0, Math.round(error.retryAfterMs ?? 0)) };
}

/** The AppError a server sent back; unknown codes become INTERNAL. */
export function fromMuxError(error: MuxError): AppError {
  if (!isErrorCode(error.code)) return new AppError('INTERNAL', 'backend call failed');
  return new AppError(error.code, error.message || error.code, {
    retryAfterMs: error.retryAfterMs > 0 ? error.retryAfterMs : undefined,
  });
}
