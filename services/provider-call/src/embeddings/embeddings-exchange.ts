import { AppError } from '@aigw/errors';
import { embeddingInputs, embeddingsRequestSchema, validateBody } from '@aigw/formats';
import type { Account } from '@aigw/proto';
import type { EmbeddingsCall, Exchange, ProviderAdapter, UpstreamTarget } from '../adapters/provider-adapter.js';
import { estimateTextTokens } from '../count/token-estimate.js';
import { asRecord, parseJson } from '../ir/json-shape.js';
import { openAiErrorBody } from '../wire/openai/openai-errors.js';

// POST /v1/embeddings to any provider kind that offers embeddings (ProviderAdapter.embeddings). The client
// always speaks OpenAI's shape: answers and errors come back in it whatever the upstream's own.

/** What the call reads from a body that passed embeddingsFormat.checkRequest at ingress. */
export function embeddingsCall(body: unknown): EmbeddingsCall {
  const request = validateBody(embeddingsRequestSchema, body);
  const call: EmbeddingsCall = { body: request, inputs: embeddingInputs(request.input), base64: request.encoding_format === 'base64' };
  if (request.dimensions !== undefined && request.dimensions !== null) call.dimensions = request.dimensions;
  return call;
}

/** Tokens of the inputs: token-id arrays count exactly, texts by the local tokenizer. */
export async function inputTokens(inputs: EmbeddingsCall['inputs']): Promise<number> {
  const texts: string[] = [];
  let tokens = 0;
  for (const input of inputs) {
    if (typeof input === 'string') texts.push(input);
    else tokens += input.length;
  }
  return texts.length === 0 ? tokens : tokens + (await estimateTextTokens(texts));
}

/**
 * The exchange of one embeddings call. A provider kind without embeddings (anthropic, antigravity) is the
 * client's routing mistake, not the account's: INVALID_REQUEST naming the provider, never retried elsewhere.
 */
export function embeddingsExchange(provider: ProviderAdapter, account: Account, body: unknown, target: UpstreamTarget): Exchange {
  const embeddings = provider.embeddings;
  if (embeddings === undefined) {
    throw new AppError(
      'INVALID_REQUEST',
      `model "${target.model}" is routed to provider "${account.providerName}" of kind "${account.providerKind}", which has no embeddings API`,
      { details: { param: 'model' } },
    );
  }
  const call = embeddingsCall(body);
  const { requests, dropped } = embeddings.buildRequests(call, target);
  const [request, ...more] = requests;
  return {
    request,
    ...(more.length === 0 ? {} : { moreRequests: more }),
    droppedFields: dropped,
    readResponse: (text, promptTokens, moreTexts = []) => embeddings.readResponse([text, ...moreTexts], call, target, promptTokens ?? 0),
    readError(status, text) {
      // An OpenAI-shaped error (an OpenAI-compatible upstream) is already in the client's shape.
      if (provider.format === 'openai' && asRecord(asRecord(parseJson(text))?.error) !== undefined) return { body: text };
      const error = provider.decodeError(status, text);
      return { body: openAiErrorBody(error), ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) };
    },
    errorBody: openAiErrorBody,
    promptEstimate: () => inputTokens(call.inputs),
    openStream() {
      throw new AppError('INVALID_REQUEST', 'embeddings are not streamed');
    },
  };
}
