import { AppError } from '@aigw/errors';
import type { EmbeddingsAdapter } from '../adapters/provider-adapter.js';
import { joinUrl, upstreamHeaders } from '../adapters/upstream-headers.js';
import { asArray, asCount, asRecord, parseJson } from '../ir/json-shape.js';
import { embeddingsUsage } from './embedding-list.js';

/**
 * OpenAI-compatible upstreams: POST `${base}/embeddings` with the client's body, only `model` replaced by the
 * routed one; the answer is already in the client's shape and goes back byte for byte. A Responses-wire
 * provider (providers.wire = "responses") serves /embeddings the same way: the wire names only its chat API.
 */
export const openAiEmbeddings: EmbeddingsAdapter = {
  buildRequests(call, target) {
    const body = JSON.stringify({ ...call.body, model: target.model });
    return { requests: [{ url: joinUrl(target.baseUrl, '/embeddings'), headers: upstreamHeaders(target, false), body }], dropped: [] };
  },
  readResponse([text = ''], _call, _target, promptTokens) {
    const root = asRecord(parseJson(text));
    if (root === undefined || asArray(root.data) === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer is not an embeddings list');
    // Compatible servers that report no usage are counted locally.
    const usage = asRecord(root.usage);
    const reported = usage === undefined ? undefined : (usage.prompt_tokens ?? usage.total_tokens);
    return { body: text, usage: embeddingsUsage(reported === undefined ? promptTokens : asCount(reported)) };
  },
};
