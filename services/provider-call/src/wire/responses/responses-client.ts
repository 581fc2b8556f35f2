import type { ClientCodec } from '../../adapters/client-codec.js';
import { openAiErrorBody } from '../openai/openai-errors.js';
import { responsesRequestToIr } from './responses-request.js';
import { irToResponsesResponse } from './responses-response-encoder.js';
import { ResponsesStreamEncoder } from './responses-stream-encoder.js';

/** Clients speaking the OpenAI Responses API (POST /v1/responses); errors have Chat Completions' shape. */
export const responsesClient: ClientCodec = {
  format: 'responses',
  decodeRequest: responsesRequestToIr,
  encodeResponse: (response, ctx) => JSON.stringify(irToResponsesResponse(response, ctx)),
  createStreamEncoder: (ctx) => new ResponsesStreamEncoder(ctx),
  encodeError: openAiErrorBody,
};
