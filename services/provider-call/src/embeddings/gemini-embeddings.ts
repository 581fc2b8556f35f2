import { AppError } from '@aigw/errors';
import { uncarriedFields } from '@aigw/formats';
import type { EmbeddingsAdapter } from '../adapters/provider-adapter.js';
import { upstreamHeaders } from '../adapters/upstream-headers.js';
import { asArray, asRecord, parseJson } from '../ir/json-shape.js';
import { bareModelName, geminiMethodUrl } from '../wire/google/gemini-upstream.js';
import { embeddingsUsage, openAiEmbeddingList } from './embedding-list.js';

// OpenAI embeddings → the Gemini API's POST …/models/{model}:batchEmbedContents, one request per input:
//   {requests:[{model:"models/{model}", content:{parts:[{text}]}, outputDimensionality}]} → {embeddings:[{values}]}
// Gemini reports no token count for embeddings, so usage is the gateway's own count of the input texts.

/** Client fields the translation carries; any other field the client set is reported as dropped. */
const CARRIED: ReadonlySet<string> = new Set(['model', 'input', 'dimensions', 'encoding_format']);

/** The batchEmbedContents body for texts. */
export function geminiEmbedBody(texts: readonly string[], model: string, dimensions: number | undefined): Record<string, unknown> {
  const name = `models/${bareModelName(model)}`;
  return {
    requests: texts.map((text) => ({
      model: name,
      content: { parts: [{ text }] },
      ...(dimensions === undefined ? {} : { outputDimensionality: dimensions }),
    })),
  };
}

/** The vectors of a batchEmbedContents answer, in input order; UPSTREAM_ERROR when it is not one vector per input. */
export function geminiVectors(body: unknown, expected: number): number[][] {
  const embeddings = asArray(asRecord(body)?.embeddings);
  if (embeddings === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer has no "embeddings"');
  if (embeddings.length !== expected) throw new AppError('UPSTREAM_ERROR', `upstream answered ${embeddings.length} embeddings for ${expected} inputs`);
  return embeddings.map((entry) => {
    const values = asArray(asRecord(entry)?.values);
    if (values === undefined || !values.every((v) => typeof v === 'number')) throw new AppError('UPSTREAM_ERROR', 'upstream embedding has no numeric "values"');
    return values as number[];
  });
}

export const geminiEmbeddings: EmbeddingsAdapter = {
  buildRequest(call, target) {
    const texts = call.inputs;
    if (texts.some((input) => typeof input !== 'string')) {
      // Token ids name tokens of OpenAI's tokenizer; Gemini reads text only, and guessing the text would be wrong.
      throw new AppError('INVALID_REQUEST', 'this model is served by a Gemini provider, which embeds text only: send input as strings, not token ids', {
        details: { param: 'input' },
      });
    }
    const body = geminiEmbedBody(texts as string[], target.model, call.dimensions);
    const dropped = uncarriedFields(call.body, CARRIED);
    return { request: { url: geminiMethodUrl(target, 'batchEmbedContents'), headers: upstreamHeaders(target, false), body: JSON.stringify(body) }, dropped };
  },
  readResponse(text, call, target, promptTokens) {
    const json = parseJson(text);
    if (json === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer is not JSON');
    const vectors = geminiVectors(json, call.inputs.length);
    return { body: JSON.stringify(openAiEmbeddingList(vectors, target.model, promptTokens, call.base64)), usage: embeddingsUsage(promptTokens) };
  },
};
