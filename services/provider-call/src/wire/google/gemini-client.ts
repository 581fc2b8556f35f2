import type { ClientCodec } from '../../adapters/client-codec.js';
import { googleErrorBody } from './google-errors.js';
import { geminiRequestToIr } from './gemini-request-decoder.js';
import { irToGeminiResponse } from './gemini-response-encoder.js';
import { GeminiStreamEncoder } from './gemini-stream-encoder.js';

/** Clients speaking the Gemini API (generateContent, streamGenerateContent?alt=sse). */
export const geminiClient: ClientCodec = {
  format: 'gemini',
  decodeRequest: geminiRequestToIr,
  encodeResponse: (response, ctx) => JSON.stringify(irToGeminiResponse(response, ctx)),
  createStreamEncoder: (ctx) => new GeminiStreamEncoder(ctx),
  encodeError: googleErrorBody,
};
