import { AppError, type ErrorCode } from '@aigw/errors';
import { CLIENT_FORMATS, type ClientError, type StreamEvent } from '@aigw/formats';
import type { ClientProtocol } from './client-protocol.js';

// An AppError of the gateway's own, answered in the client's format. The shapes and names of every
// format live in @aigw/formats (one module per format, also used by provider-call); what is decided
// here is what a client may see of an error of ours.

/** An error ready to send: status, JSON body in the client's protocol, and headers. */
export interface ClientErrorResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Client-facing message: INTERNAL never shows what went wrong inside. */
function safeMessage(error: AppError): string {
  return error.code === 'INTERNAL' ? 'internal error' : error.message;
}

/** What the client sees of an AppError: status, safe message, code and the field at fault. */
export function clientError(error: AppError): ClientError {
  return { status: error.httpStatus, message: safeMessage(error), code: error.code, param: error.details.param ?? null };
}

/**
 * An error whose JSON a format module has already written: an error the upstream API itself has, with a
 * `code` of its own that clients match on (the Responses API's previous_response_not_found).
 */
export class RenderedError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(code, message);
  }
}

/** The JSON error object of `protocol` for `error`. */
export function errorBody(protocol: ClientProtocol, error: AppError): Record<string, unknown> {
  if (error instanceof RenderedError) return error.body;
  return CLIENT_FORMATS[protocol].errorBody(clientError(error));
}

/** Retry-After in whole seconds (at least 1), as HTTP wants it. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

/** Renders an AppError as the client's protocol expects it. */
export function toClientError(protocol: ClientProtocol, error: AppError): ClientErrorResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterMs !== undefined && error.retryAfterMs > 0) headers['retry-after'] = retryAfterSeconds(error.retryAfterMs);
  return { status: error.httpStatus, body: errorBody(protocol, error), headers };
}

/**
 * The protocol's error event, for a stream that breaks after bytes reached the client; the stream's
 * sink frames it like the rest of the stream (SSE, or an element of Gemini's JSON array).
 */
export function errorEvent(protocol: ClientProtocol, error: AppError): StreamEvent {
  return CLIENT_FORMATS[protocol].errorEvent(clientError(error));
}
