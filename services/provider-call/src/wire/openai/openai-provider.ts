import { openAiEmbeddings } from '../../embeddings/openai-embeddings.js';
import type { ProviderAdapter } from '../../adapters/provider-adapter.js';
import { joinUrl, upstreamHeaders } from '../../adapters/upstream-headers.js';
import { decodeOpenAiError } from './openai-errors.js';
import { openAiModelListing } from './openai-models.js';
import { openAiPassthrough } from './openai-passthrough.js';
import { irToOpenAiRequest } from './openai-request-encoder.js';
import { openAiResponseToIr } from './openai-response.js';
import { OpenAiStreamDecoder } from './openai-stream-decoder.js';

/** Any OpenAI-compatible upstream: POST `${baseUrl}/chat/completions` (base URL ends in /v1 or the like). */
export const openAiProvider: ProviderAdapter = {
  format: 'openai',
  buildRequest(ir, target) {
    const { body, dropped } = irToOpenAiRequest(ir, target.model);
    return {
      request: { url: joinUrl(target.baseUrl, '/chat/completions'), headers: upstreamHeaders(target, ir.stream), body: JSON.stringify(body) },
      dropped,
    };
  },
  decodeResponse: openAiResponseToIr,
  createStreamDecoder: () => new OpenAiStreamDecoder(),
  decodeError: decodeOpenAiError,
  passthrough: openAiPassthrough,
  streamUsageLast: true,
  listModels: openAiModelListing,
  embeddings: openAiEmbeddings,
};
