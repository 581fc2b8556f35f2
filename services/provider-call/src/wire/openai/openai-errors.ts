import { errorExcerpt } from '../../adapters/error-excerpt.js';
import type { DecodedUpstreamError } from '../../adapters/provider-adapter.js';
import type { IrError } from '../../ir/chat-ir.js';
import { asRecord, asString, parseJson } from '../../ir/json-shape.js';

/** HTTP status → OpenAI error `type` and `code`, as the API reports them. */
const ERROR_KINDS: Readonly<Record<number, readonly [type: string, code: string | null]>> = {
  400: ['invalid_request_error', null],
  401: ['authentication_error', 'invalid_api_key'],
  403: ['permission_error', null],
  404: ['not_found_error', 'model_not_found'],
  413: ['invalid_request_error', 'request_too_large'],
  429: ['rate_limit_error', 'rate_limit_exceeded'],
  499: ['api_error', 'cancelled'],
  504: ['timeout_error', null],
};

/** The error kind for any status (unknown 4xx → invalid_request_error, 5xx → server_error). */
export function openAiErrorKind(status: number): readonly [type: string, code: string | null] {
  return ERROR_KINDS[status] ?? (status >= 500 || status === 0 ? ['server_error', null] : ['invalid_request_error', null]);
}

/** `{error:{message,type,param,code}}` for a status and message. */
export function openAiErrorBody(error: IrError): string {
  const [type, code] = openAiErrorKind(error.status);
  return JSON.stringify({ error: { message: error.message, type, param: null, code } });
}

/** Reads an OpenAI(-compatible) error body; falls back to the raw text for non-JSON answers. */
export function decodeOpenAiError(status: number, text: string): DecodedUpstreamError {
  const root = asRecord(parseJson(text));
  const error = root?.error;
  const message = asString(asRecord(error)?.message) ?? asString(error) ?? asString(root?.message);
  return { status, message: message ?? errorExcerpt(status, text) };
}
