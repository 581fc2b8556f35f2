import type { ClientCodec } from '../../adapters/client-codec.js';
import { openAiErrorBody } from './openai-errors.js';
import { openAiRequestToIr } from './openai-request.js';
import { irToOpenAiResponse } from './openai-response.js';
import { OpenAiStreamEncoder } from './openai-stream-encoder.js';

/** Clients speaking OpenAI Chat Completions. */
export const openAiClient: ClientCodec = {
  format: 'openai',
  decodeRequest: openAiRequestToIr,
  encodeResponse: (response, ctx) => JSON.stringify(irToOpenAiResponse(response, ctx)),
  createStreamEncoder: (ctx) => new OpenAiStreamEncoder(ctx),
  encodeError: openAiErrorBody,
};
