import type { AppError, ErrorCode } from '@aigw/errors';
import type { ClientProtocol } from './client-protocol.js';

/** How one AppError code is named in each client protocol. */
interface ClientErrorType {
  openaiType: string;
  openaiCode: string;
  anthropicType: string;
  /** google.rpc.Code name, as Google APIs put it in `error.status`. */
  geminiStatus: string;
}

type Row = readonly [openaiType: string, openaiCode: string, anthropicType: string, geminiStatus: string];

/** The one table from AppError codes to each client protocol's error type (HTTP status: AppError.httpStatus). */
const ROWS: Readonly<Record<ErrorCode, Row>> = {
  //                      OpenAI type              OpenAI code             Anthropic type           Gemini status
  INVALID_REQUEST:      ['invalid_request_error', 'invalid_request',      'invalid_request_error', 'INVALID_ARGUMENT'],
  UNAUTHENTICATED:      ['invalid_request_error', 'invalid_api_key',      'authentication_error',  'UNAUTHENTICATED'],
  PERMISSION_DENIED:    ['invalid_request_error', 'permission_denied',    'permission_error',      'PERMISSION_DENIED'],
  NOT_FOUND:            ['invalid_request_error', 'not_found',            'not_found_error',       'NOT_FOUND'],
  MODEL_NOT_FOUND:      ['invalid_request_error', 'model_not_found',      'not_found_error',       'NOT_FOUND'],
  NO_ACCOUNT:           ['invalid_request_error', 'no_account',           'not_found_error',       'NOT_FOUND'],
  CONFLICT:             ['invalid_request_error', 'conflict',             'invalid_request_error', 'ALREADY_EXISTS'],
  PAYLOAD_TOO_LARGE:    ['invalid_request_error', 'request_too_large',    'request_too_large',     'INVALID_ARGUMENT'],
  RATE_LIMITED:         ['rate_limit_error',      'rate_limit_exceeded',  'rate_limit_error',      'RESOURCE_EXHAUSTED'],
  ACCOUNTS_EXHAUSTED:   ['rate_limit_error',      'accounts_exhausted',   'rate_limit_error',      'RESOURCE_EXHAUSTED'],
  CANCELLED:            ['invalid_request_error', 'cancelled',            'invalid_request_error', 'CANCELLED'],
  INTERNAL:             ['server_error',          'internal_error',       'api_error',             'INTERNAL'],
  UPSTREAM_ERROR:       ['server_error',          'upstream_error',       'api_error',             'INTERNAL'],
  UPSTREAM_UNREACHABLE: ['server_error',          'upstream_unreachable', 'api_error',             'UNAVAILABLE'],
  UNAVAILABLE:          ['server_error',          'service_unavailable',  'overloaded_error',      'UNAVAILABLE'],
  UPSTREAM_TIMEOUT:     ['server_error',          'upstream_timeout',     'timeout_error',         'DEADLINE_EXCEEDED'],
  DEADLINE_EXCEEDED:    ['server_error',          'timeout',              'timeout_error',         'DEADLINE_EXCEEDED'],
};

/** The names of `code` in every client protocol. */
export function clientErrorType(code: ErrorCode): ClientErrorType {
  const [openaiType, openaiCode, anthropicType, geminiStatus] = ROWS[code];
  return { openaiType, openaiCode, anthropicType, geminiStatus };
}

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
  const type = clientErrorType(error.code);
  const message = safeMessage(error);
  if (protocol === 'anthropic') return { type: 'error', error: { type: type.anthropicType, message } };
  if (protocol === 'gemini') return { error: { code: error.httpStatus, message, status: type.geminiStatus } };
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

/**
 * The protocol's SSE error event, for a stream that breaks after bytes reached the client. Gemini streams
 * have no event names: Google sends the error object as a plain data event, and so do we.
 */
export function errorEvent(protocol: ClientProtocol, error: AppError): Buffer {
  const json = JSON.stringify(errorBody(protocol, error));
  return Buffer.from(protocol === 'anthropic' ? `event: error\ndata: ${json}\n\n` : `data: ${json}\n\n`);
}
