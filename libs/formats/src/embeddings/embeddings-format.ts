import type { ClientFormatModule } from '../client-format.js';
import { openAiErrorBody } from '../openai/openai-format.js';
import { validateBody } from '../validation/validate-body.js';
import { embeddingsRequestSchema } from './embeddings-schema.js';

/**
 * OpenAI embeddings: POST /v1/embeddings. Errors have OpenAI's shape; an embeddings call never streams,
 * so its error event is only there to complete the contract.
 */
export const embeddingsFormat: ClientFormatModule = {
  name: 'embeddings',
  checkRequest(body) {
    const request = validateBody(embeddingsRequestSchema, body);
    return { model: request.model, stream: false };
  },
  errorBody: openAiErrorBody,
  errorEvent: (error) => ({ data: JSON.stringify(openAiErrorBody(error)) }),
};
