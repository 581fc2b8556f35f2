import type { ErrorCode } from '@aigw/errors';
import { clientErrorCode, type ClientError } from '../client-error.js';
import type { ClientFormatModule } from '../client-format.js';
import { validateBody } from '../validation/validate-body.js';
import { anthropicCountTokensEnvelopeSchema, anthropicEnvelopeSchema } from './anthropic-schema.js';

/** Each error code as Anthropic names it in `error.type`. */
const TYPES: Readonly<Record<ErrorCode, string>> = {
  INVALID_REQUEST: 'invalid_request_error',
  UNAUTHENTICATED: 'authentication_error',
  PERMISSION_DENIED: 'permission_error',
  NOT_FOUND: 'not_found_error',
  MODEL_NOT_FOUND: 'not_found_error',
  NO_ACCOUNT: 'not_found_error',
  CONFLICT: 'invalid_request_error',
  PAYLOAD_TOO_LARGE: 'request_too_large',
  RATE_LIMITED: 'rate_limit_error',
  BUDGET_EXCEEDED: 'rate_limit_error',
  ACCOUNTS_EXHAUSTED: 'rate_limit_error',
  CANCELLED: 'invalid_request_error',
  INTERNAL: 'api_error',
  UPSTREAM_ERROR: 'api_error',
  UPSTREAM_UNREACHABLE: 'api_error',
  UNAVAILABLE: 'overloaded_error',
  UPSTREAM_TIMEOUT: 'timeout_error',
  DEADLINE_EXCEEDED: 'timeout_error',
};

/** Anthropic's `error.type` for an error. */
export function anthropicErrorType(error: ClientError): string {
  return TYPES[clientErrorCode(error)];
}

/** `{type:"error",error:{type,message}}`, as the Messages API answers errors. */
export function anthropicErrorBody(error: ClientError): Record<string, unknown> {
  return { type: 'error', error: { type: anthropicErrorType(error), message: error.message } };
}

/** Anthropic Messages: POST /v1/messages; every stream event is named. */
export const anthropicFormat: ClientFormatModule = {
  name: 'anthropic',
  checkRequest(body) {
    const envelope = validateBody(anthropicEnvelopeSchema, body, false);
    return { model: envelope.model, stream: envelope.stream === true };
  },
  errorBody: anthropicErrorBody,
  errorEvent: (error) => ({ event: 'error', data: JSON.stringify(anthropicErrorBody(error)) }),
};

/** POST /v1/messages/count_tokens: a Messages body without max_tokens; returns its model. */
export function checkAnthropicCountTokens(body: unknown): string {
  return validateBody(anthropicCountTokensEnvelopeSchema, body, false).model;
}
