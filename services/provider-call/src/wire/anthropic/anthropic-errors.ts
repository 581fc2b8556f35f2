import type { IrError } from '../../ir/chat-ir.js';

/** HTTP status → Anthropic error `type`, as the API reports them. */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};

/** The error type for any status (unknown 4xx → invalid_request_error, everything else → api_error). */
export function anthropicErrorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error');
}

/** `{type:"error",error:{type,message}}` for a status and message. */
export function anthropicErrorBody(error: IrError): string {
  return JSON.stringify({ type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } });
}
