import { AppError } from '@aigw/errors';
import type { IrError, IrStreamEvent } from '../ir/chat-ir.js';

// How stream decoders report an upstream that failed mid-answer, and how that failure reaches the
// client's own error event: with the upstream's status when it named one, else the gateway's.

/** The error a decoder throws for an in-stream error event; `status` is the upstream's, when known. */
export function midStreamError(message: string, status?: number): AppError {
  return new AppError('UPSTREAM_ERROR', message, status === undefined ? {} : { details: { upstreamStatus: String(status) } });
}

/** The status and message a client's error event carries for a stream that broke with `error`. */
export function streamFailure(error: AppError): IrError {
  const upstream = Number(error.details.upstreamStatus);
  return { status: Number.isInteger(upstream) && upstream >= 400 ? upstream : error.httpStatus, message: error.message };
}

/**
 * Events for a signature that belonged to the next part (Gemini's thoughtSignature on a function
 * call, OpenAI-compatible extra_content): close any open reasoning unsigned, then an empty signed block.
 */
export function detachedSignature(signature: string): IrStreamEvent[] {
  return [{ type: 'reasoning_end' }, { type: 'reasoning_end', signature }];
}

/** The error a decoder's end() throws when the body ended before the provider's final event. */
export function truncatedStream(): AppError {
  return new AppError('UPSTREAM_ERROR', 'upstream stream ended before its final event');
}
