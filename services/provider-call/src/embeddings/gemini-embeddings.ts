import { AppError } from '@aigw/errors';
import { uncarriedFields } from '@aigw/formats';
import type { EmbeddingsAdapter, UpstreamRequest } from '../adapters/provider-adapter.js';
import { upstreamHeaders } from '../adapters/upstream-headers.js';
import { asArray, asRecord, parseJson } from '../ir/json-shape.js';
import { bareModelName, geminiMethodUrl } from '../wire/google/gemini-upstream.js';
import { embeddingsUsage, openAiEmbeddingList } from './embedding-list.js';

// OpenAI embeddings → the Gemini API's POST …/models/{model}:batchEmbedContents, one request per input, in
// calls of at most 100 (OpenAI clients send up to 2048 inputs; LangChain batches 512 by default):
//   {requests:[{model:"models/{model}", content:{parts:[{text}]}, outputDimensionality}]} → {embeddings:[{values}]}
// Gemini reports no token count for embeddings, so usage is the gateway's own count of the input texts.

/** Most requests one batchEmbedContents call takes (the Gemini API refuses more); OpenAI takes 2048 inputs. */
export const GEMINI_BATCH_LIMIT = 100;

/** The inputs in batches Gemini takes, in order. */
export function batchesOf<T>(inputs: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < inputs.length; i += GEMINI_BATCH_LIMIT) batches.push(inputs.slice(i, i + GEMINI_BATCH_LIMIT));
  return batches;
}

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
  buildRequests(call, target) {
    if (call.inputs.some((input) => typeof input !== 'string')) {
      // Token ids name tokens of OpenAI's tokenizer; Gemini reads text only, and guessing the text would be wrong.
      throw new AppError('INVALID_REQUEST', 'this model is served by a Gemini provider, which embeds text only: send input as strings, not token ids', {
        details: { param: 'input' },
      });
    }
    const url = geminiMethodUrl(target, 'batchEmbedContents');
    const headers = upstreamHeaders(target, false);
    const requests = batchesOf(call.inputs as string[]).map((texts) => ({ url, headers, body: JSON.stringify(geminiEmbedBody(texts, target.model, call.dimensions)) }));
    return { requests: requests as [UpstreamRequest, ...UpstreamRequest[]], dropped: uncarriedFields(call.body, CARRIED) };
  },
  readResponse(texts, call, target, promptTokens) {
    const batches = batchesOf(call.inputs as string[]);
    if (texts.length !== batches.length) throw new AppError('UPSTREAM_ERROR', `expected ${batches.length} upstream answers, got ${texts.length}`);
    const vectors = texts.flatMap((text, i) => {
      const json = parseJson(text);
      if (json === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer is not JSON');
      return geminiVectors(json, batches[i]?.length ?? 0);
    });
    return { body: JSON.stringify(openAiEmbeddingList(vectors, target.model, promptTokens, call.base64)), usage: embeddingsUsage(promptTokens) };
  },
};
