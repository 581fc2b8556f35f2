import type { ErrorCode } from '@aigw/errors';
import { clientErrorCode, type ClientError } from '../client-error.js';
import type { ClientFormatModule } from '../client-format.js';
import { validateBody } from '../validation/validate-body.js';
import { openAiEnvelopeSchema } from './openai-schema.js';

/** Each error code as OpenAI names it: `error.type` and `error.code`. */
const NAMES: Readonly<Record<ErrorCode, readonly [type: string, code: string]>> = {
  INVALID_REQUEST:      ['invalid_request_error', 'invalid_request'],
  UNAUTHENTICATED:      ['invalid_request_error', 'invalid_api_key'],
  PERMISSION_DENIED:    ['invalid_request_error', 'permission_denied'],
  NOT_FOUND:            ['invalid_request_error', 'not_found'],
  MODEL_NOT_FOUND:      ['invalid_request_error', 'model_not_found'],
  NO_ACCOUNT:           ['invalid_request_error', 'no_account'],
  CONFLICT:             ['invalid_request_error', 'conflict'],
  PAYLOAD_TOO_LARGE:    ['invalid_request_error', 'request_too_large'],
  RATE_LIMITED:         ['rate_limit_error',      'rate_limit_exceeded'],
  BUDGET_EXCEEDED:      ['insufficient_quota',    'budget_exceeded'],
  ACCOUNTS_EXHAUSTED:   ['rate_limit_error',      'accounts_exhausted'],
  CANCELLED:            ['invalid_request_error', 'cancelled'],
  INTERNAL:             ['server_error',          'internal_error'],
  UPSTREAM_ERROR:       ['server_error',          'upstream_error'],
  UPSTREAM_UNREACHABLE: ['server_error',          'upstream_unreachable'],
  UNAVAILABLE:          ['server_error',          'service_unavailable'],
  UPSTREAM_TIMEOUT:     ['server_error',          'upstream_timeout'],
  DEADLINE_EXCEEDED:    ['server_error',          'timeout'],
};

/** OpenAI's `error.type` and `error.code` for an error. */
export function openAiErrorNames(error: ClientError): readonly [type: string, code: string] {
  return NAMES[clientErrorCode(error)];
}

/** `{error:{message,type,param,code}}`, as the OpenAI API answers errors. */
export function openAiErrorBody(error: ClientError): Record<string, unknown> {
  const [type, code] = openAiErrorNames(error);
  return { error: { message: error.message, type, param: error.param ?? null, code } };
}

/** OpenAI Chat Completions: POST /v1/chat/completions; streams end with `data: [DONE]`. */
export const openAiFormat: ClientFormatModule = {
  name: 'openai',
  checkRequest(body) {
    const envelope = validateBody(openAiEnvelopeSchema, body, false);
    return { model: envelope.model, stream: envelope.stream === true };
  },
  errorBody: openAiErrorBody,
  // OpenAI streams have no event names: an error is a data event with the error object.
  errorEvent: (error) => ({ data: JSON.stringify(openAiErrorBody(error)) }),
};

/** The event that ends every OpenAI stream. */
export const OPENAI_DONE_EVENT = '[DONE]';
