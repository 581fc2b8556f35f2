import type { ClientFormatModule } from '../client-format.js';
import { validateBody } from '../validation/validate-body.js';
import { geminiErrorBody } from './gemini-errors.js';
import { geminiEnvelopeSchema } from './gemini-schema.js';

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
