import type { ClientFormatModule } from '../client-format.js';
import { validateBody } from '../validation/validate-body.js';
import { openAiErrorBody } from './openai-errors.js';
import { openAiEnvelopeSchema } from './openai-schema.js';

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
