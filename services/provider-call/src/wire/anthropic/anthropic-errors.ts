import { errorExcerpt } from '../../adapters/error-excerpt.js';
import type { DecodedUpstreamError } from '../../adapters/provider-adapter.js';
import type { IrError } from '../../ir/chat-ir.js';
import { asRecord, asString, parseJson } from '../../ir/json-shape.js';

/** HTTP status → Anthropic error `type`, as the API reports them. */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Anthropic error `type` → the status it stands for (in-stream errors carry only the type). */
const TYPE_STATUS: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** The error type for any status (unknown 4xx → invalid_request_error, everything else → api_error). */
export function anthropicErrorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error');
}

/** The status an Anthropic error type stands for, if it is a known one. */
export function anthropicTypeStatus(type: string | undefined): number | undefined {
  return type === undefined ? undefined : TYPE_STATUS[type];
}

/** `{type:"error",error:{type,message}}` for a status and message. */
export function anthropicErrorBody(error: IrError): string {
  return JSON.stringify({ type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } });
}

/** Reads an Anthropic error body; falls back to the raw text for non-JSON answers. */
export function decodeAnthropicError(status: number, text: string): DecodedUpstreamError {
  const error = asRecord(asRecord(parseJson(text))?.error);
  return { status, message: asString(error?.message) ?? errorExcerpt(status, text) };
}
