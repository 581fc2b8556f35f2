import { z } from 'zod';
import type { ClientFormatModule } from '../client-format.js';
import { openAiErrorBody } from '../openai/openai-format.js';
import { modelNameSchema } from '../validation/model-name.js';
import { validateBody } from '../validation/validate-body.js';

// PLACEHOLDER written on branch resp-store so that ingress compiles before branch resp-codec (which owns
// this file: the full request schema, the error events of a Responses stream) is merged. The integrator
// takes resp-codec's version of this file; nothing else on resp-store depends on more than the envelope.

/** The envelope of a Responses request: a model, a stream flag, and input (a string or items) present. */
export const responsesEnvelopeSchema = z.looseObject({
  model: modelNameSchema,
  input: z.union([z.string(), z.array(z.unknown())]),
  stream: z.boolean().nullish(),
});

/** OpenAI Responses: POST /v1/responses; errors in OpenAI's shape. */
export const responsesFormat: ClientFormatModule = {
  name: 'responses',
  checkRequest(body) {
    const envelope = validateBody(responsesEnvelopeSchema, body, false);
    return { model: envelope.model, stream: envelope.stream === true };
  },
  errorBody: openAiErrorBody,
  errorEvent: (error) => ({ event: 'error', data: JSON.stringify({ type: 'error', ...openAiErrorBody(error) }) }),
};
