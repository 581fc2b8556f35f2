import type { ClientFormatModule } from '../client-format.js';
import { validateBody } from '../validation/validate-body.js';
import { anthropicErrorBody } from './anthropic-errors.js';
import { anthropicCountTokensEnvelopeSchema, anthropicEnvelopeSchema } from './anthropic-schema.js';

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
