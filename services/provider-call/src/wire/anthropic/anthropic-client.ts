import type { ClientCodec } from '../../adapters/client-codec.js';
import { anthropicErrorBody } from './anthropic-errors.js';
import { anthropicRequestToIr } from './anthropic-request.js';
import { irToAnthropicResponse } from './anthropic-response.js';
import { AnthropicStreamEncoder } from './anthropic-stream-encoder.js';

/** Clients speaking the Anthropic Messages API. */
export const anthropicClient: ClientCodec = {
  format: 'anthropic',
  promptTokensFirst: true,
  decodeRequest: anthropicRequestToIr,
  encodeResponse: (response, ctx) => JSON.stringify(irToAnthropicResponse(response, ctx)),
  createStreamEncoder: (ctx) => new AnthropicStreamEncoder(ctx),
  encodeError: anthropicErrorBody,
};
