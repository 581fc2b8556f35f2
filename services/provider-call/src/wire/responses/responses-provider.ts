import type { ProviderAdapter } from '../../adapters/provider-adapter.js';
import { openAiEmbeddings } from '../../embeddings/openai-embeddings.js';
import { joinUrl, upstreamHeaders } from '../../adapters/upstream-headers.js';
import { decodeOpenAiError } from '../openai/openai-errors.js';
import { openAiModelListing } from '../openai/openai-models.js';
import { chatGptAccountId, codexRequest } from './codex-backend.js';
import { responsesPassthrough } from './responses-passthrough.js';
import { irToResponsesRequest } from './responses-request-encoder.js';
import { responsesResponseToIr } from './responses-response-decoder.js';
import { ResponsesStreamDecoder } from './responses-stream-decoder.js';

/**
 * An `openai` provider whose wire is the Responses API (providers.wire = "responses"): POST
 * `${baseUrl}/responses` (a ChatGPT subscription account: the Codex backend, see codex-backend.ts). Errors, the model list and embeddings are OpenAI's own, as for Chat Completions.
 */
export const responsesProvider: ProviderAdapter = {
  format: 'responses',
  buildRequest(ir, target) {
    const { body, dropped } = irToResponsesRequest(ir, target.model);
    const request = { url: joinUrl(target.baseUrl, '/responses'), headers: upstreamHeaders(target, ir.stream), body: JSON.stringify(body) };
    const chatGpt = chatGptAccountId(target);
    if (chatGpt === undefined) return { request, dropped };
    const codex = codexRequest(request, body, chatGpt, ir.stream);
    return { request: codex.request, dropped: [...dropped, ...codex.dropped] };
  },
  decodeResponse: responsesResponseToIr,
  createStreamDecoder: () => new ResponsesStreamDecoder(),
  decodeError: decodeOpenAiError,
  passthrough: responsesPassthrough,
  // Usage comes with response.completed, after the last token.
  streamUsageLast: true,
  listModels: openAiModelListing,
  embeddings: openAiEmbeddings,
};
