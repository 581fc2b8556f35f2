import type { ErrorCode } from '@aigw/errors';
import { clientErrorCode, type ClientError } from '../client-error.js';
import type { ClientFormatModule } from '../client-format.js';
import { validateBody } from '../validation/validate-body.js';
import { geminiEnvelopeSchema } from './gemini-schema.js';

/** Each error code as a google.rpc.Code name, which Google APIs put in `error.status`. */
const STATUS_NAMES: Readonly<Record<ErrorCode, string>> = {
  INVALID_REQUEST: 'INVALID_ARGUMENT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  NOT_FOUND: 'NOT_FOUND',
  MODEL_NOT_FOUND: 'NOT_FOUND',
  NO_ACCOUNT: 'NOT_FOUND',
  CONFLICT: 'ALREADY_EXISTS',
  PAYLOAD_TOO_LARGE: 'INVALID_ARGUMENT',
  RATE_LIMITED: 'RESOURCE_EXHAUSTED',
  BUDGET_EXCEEDED: 'RESOURCE_EXHAUSTED',
  ACCOUNTS_EXHAUSTED: 'RESOURCE_EXHAUSTED',
  CANCELLED: 'CANCELLED',
  INTERNAL: 'INTERNAL',
  UPSTREAM_ERROR: 'INTERNAL',
  UPSTREAM_UNREACHABLE: 'UNAVAILABLE',
  UNAVAILABLE: 'UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'DEADLINE_EXCEEDED',
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
};

/** The google.rpc status name of an error. */
export function geminiStatusName(error: ClientError): string {
  return STATUS_NAMES[clientErrorCode(error)];
}

/** `{error:{code,message,status}}`, as Google APIs answer errors (`code` is the HTTP status). */
export function geminiErrorBody(error: ClientError): Record<string, unknown> {
  const code = error.status >= 400 ? error.status : 500;
  return { error: { code, message: error.message, status: geminiStatusName({ ...error, status: code }) } };
}

/**
 * Gemini generateContent: the model and the method (and so streaming) are in the path, see
 * gemini-target.ts; streams are SSE with `?alt=sse`, one JSON array without.
 */
export const geminiFormat: ClientFormatModule = {
  name: 'gemini',
  checkRequest(body) {
    validateBody(geminiEnvelopeSchema, body, false);
    return { model: undefined, stream: false };
  },
  errorBody: geminiErrorBody,
  // Google sends a stream's error as a plain data event (an element of the array without alt=sse).
  errorEvent: (error) => ({ data: JSON.stringify(geminiErrorBody(error)) }),
};
