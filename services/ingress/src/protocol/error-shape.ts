import type { AppError, ErrorCode } from '@aigw/errors';
import type { ClientProtocol } from './client-protocol.js';

interface ClientErrorType {
  openaiType: string;
  openaiCode: string;
  anthropicType: string;
}

/** The one table from AppError codes to each client protocol's error type. */
const CLIENT_ERROR_TYPES: Readonly<Record<ErrorCode, ClientErrorType>> = {
  INVALID_REQUEST: { openaiType: 'invalid_request_error', openaiCode: 'invalid_request', anthropicType: 'invalid_request_error' },
  UNAUTHENTICATED: { openaiType: 'invalid_request_error', openaiCode: 'invalid_api_key', anthropicType: 'authentication_error' },
  PERMISSION_DENIED: { openaiType: 'invalid_request_error', openaiCode: 'permission_denied', anthropicType: 'permission_error' },
  NOT_FOUND: { openaiType: 'invalid_request_error', openaiCode: 'not_found', anthropicType: 'not_found_error' },
  MODEL_NOT_FOUND: { openaiType: 'invalid_request_error', openaiCode: 'model_not_found', anthropicType: 'not_found_error' },
  NO_ACCOUNT: { openaiType: 'invalid_request_error', openaiCode: 'no_account', anthropicType: 'not_found_error' },
  CONFLICT: { openaiType: 'invalid_request_error', openaiCode: 'conflict', anthropicType: 'invalid_request_error' },
  PAYLOAD_TOO_LARGE: { openaiType: 'invalid_request_error', openaiCode: 'request_too_large', anthropicType: 'request_too_large' },
  RATE_LIMITED: { openaiType: 'rate_limit_error', openaiCode: 'rate_limit_exceeded', anthropicType: 'rate_limit_error' },
  ACCOUNTS_EXHAUSTED: { openaiType: 'rate_limit_error', openaiCode: 'accounts_exhausted', anthropicType: 'rate_limit_error' },
  CANCELLED: { openaiType: 'invalid_request_error', openaiCode: 'cancelled', anthropicType: 'invalid_request_error' },
  INTERNAL: { openaiType: 'server_error', openaiCode: 'internal_error', anthropicType: 'api_error' },
  UPSTREAM_ERROR: { openaiType: 'server_error', openaiCode: 'upstream_error', anthropicType: 'api_error' },
  UPSTREAM_UNREACHABLE: { openaiType: 'server_error', openaiCode: 'upstream_unreachable', anthropicType: 'api_error' },
  UNAVAILABLE: { openaiType: 'server_error', openaiCode: 'service_unavailable', anthropicType: 'overloaded_error' },
  UPSTREAM_TIMEOUT: { openaiType: 'server_error', openaiCode: 'upstream_timeout', anthropicType: 'timeout_error' },
  DEADLINE_EXCEEDED: { openaiType: 'server_error', openaiCode: 'timeout', anthropicType: 'timeout_error' },
};

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

/** The JSON error object of `protocol` for `error`. */
export function errorBody(protocol: ClientProtocol, error: AppError): Record<string, unknown> {
  const type = CLIENT_ERROR_TYPES[error.code];
  const message = safeMessage(error);
  if (protocol === 'anthropic') return { type: 'error', error: { type: type.anthropicType, message } };
  return { error: { message, type: type.openaiType, param: error.details.param ?? null, code: type.openaiCode } };
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

/** The protocol's SSE error event, for a stream that breaks after bytes reached the client. */
export function errorEvent(protocol: ClientProtocol, error: AppError): Buffer {
  const json = JSON.stringify(errorBody(protocol, error));
  return Buffer.from(protocol === 'anthropic' ? `event: error\ndata: ${json}\n\n` : `data: ${json}\n\n`);
}
