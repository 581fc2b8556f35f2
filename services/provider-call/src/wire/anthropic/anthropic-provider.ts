import type { ProviderAdapter } from '../../adapters/provider-adapter.js';
import { decodeAnthropicError } from './anthropic-errors.js';
import { anthropicModelListing } from './anthropic-models.js';
import { anthropicPassthrough } from './anthropic-passthrough.js';
import { irToAnthropicRequest } from './anthropic-request-encoder.js';
import { anthropicResponseToIr } from './anthropic-response-decoder.js';
import { AnthropicStreamDecoder } from './anthropic-stream-decoder.js';
import { anthropicHeaders, anthropicMessagesUrl, withClaudeCodeSystem } from './anthropic-upstream.js';

/** The Anthropic Messages API: POST `${baseUrl}/v1/messages` with the account's credential and anthropic-version. */
export const anthropicProvider: ProviderAdapter = {
  format: 'anthropic',
  buildRequest(ir, target) {
    const { body, dropped } = irToAnthropicRequest(ir, target.model);
    return {
      request: { url: anthropicMessagesUrl(target.baseUrl), headers: anthropicHeaders(target, ir.stream), body: JSON.stringify(withClaudeCodeSystem(body, target)) },
      dropped,
    };
  },
  decodeResponse: anthropicResponseToIr,
  createStreamDecoder: () => new AnthropicStreamDecoder(),
  decodeError: decodeAnthropicError,
  passthrough: anthropicPassthrough,
  listModels: anthropicModelListing,
};
