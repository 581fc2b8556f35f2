import { embeddingVector } from './embedding-vectors.js';
import type { EmbeddingsOutcome } from './openai-embeddings.js';
import { isObject } from './json-fields.js';
import { GEMINI_MODELS } from './model-catalog.js';

// The Gemini API's embeddings, as it answers them:
//   POST /v1beta/models/{model}:embedContent        {content:{parts:[{text}]}, outputDimensionality?, taskType?, title?}
//                                                    → {embedding:{values}}
//   POST /v1beta/models/{model}:batchEmbedContents  {requests:[{model:"models/{model}", content, outputDimensionality?}]}
//                                                    → {embeddings:[{values}]}   (at most 100 requests)
// A model that does not list embedContent (a chat model, an unknown name) is 404 NOT_FOUND; the vectors come
// from the same generator as OpenAI's, so one text gives one vector per model and length. No usage is reported.

/** Most requests one batchEmbedContents call takes. */
export const MAX_GEMINI_BATCH = 100;

const notFound = (model: string): string =>
  `models/${model} is not found for API version v1beta, or is not supported for embedContent. Call ListModels to see the list of available models and their supported methods.`;

/** The text of one EmbedContentRequest's content, or the 400 message. */
function contentText(content: unknown, where: string): { text: string } | { error: string } {
  if (!isObject(content) || !Array.isArray(content.parts) || content.parts.length === 0) return { error: `* ${where}.content: contents must not be empty` };
  let text = '';
  for (const part of content.parts) {
    if (!isObject(part) || typeof part.text !== 'string') return { error: `* ${where}.content.parts: only text parts can be embedded` };
    text += part.text;
  }
  return text === '' ? { error: `* ${where}.content: contents must not be empty` } : { text };
}

/** The vector length asked, or the 400 message. */
function dimensionsOf(request: Record<string, unknown>, native: number, where: string): { dimensions: number } | { error: string } {
  const asked = request.outputDimensionality ?? request.output_dimensionality;
  if (asked === undefined || asked === null) return { dimensions: native };
  if (!Number.isInteger(asked) || (asked as number) < 1 || (asked as number) > native) {
    return { error: `* ${where}.output_dimensionality: must be between 1 and ${native}` };
  }
  return { dimensions: asked as number };
}

/** Answers embedContent (batch false) or batchEmbedContents (batch true) for the path's model. */
export function geminiEmbeddings(body: unknown, model: string, batch: boolean): EmbeddingsOutcome {
  const known = GEMINI_MODELS.find((m) => m.id === model);
  if (known?.embedding === undefined || !(known.methods ?? []).includes('embedContent')) return { status: 404, model, message: notFound(model) };
  if (!isObject(body)) return { status: 400, model, message: 'Invalid JSON payload received. Expected an object.' };
  const requests = batch ? body.requests : [body];
  if (!Array.isArray(requests) || requests.length === 0) return { status: 400, model, message: '* BatchEmbedContentsRequest.requests: requests must not be empty' };
  if (requests.length > MAX_GEMINI_BATCH) {
    return { status: 400, model, message: `* BatchEmbedContentsRequest.requests: at most ${MAX_GEMINI_BATCH} requests can be in one batch` };
  }
  const vectors: { values: number[] }[] = [];
  for (const [i, request] of requests.entries()) {
    const where = batch ? `BatchEmbedContentsRequest.requests[${i}]` : 'EmbedContentRequest';
    if (!isObject(request)) return { status: 400, model, message: `* ${where}: must be an object` };
    if (batch && request.model !== `models/${model}`) {
      return { status: 400, model, message: `* ${where}.model: the model of each request must be the batch's, models/${model}` };
    }
    const text = contentText(request.content, where);
    if ('error' in text) return { status: 400, model, message: text.error };
    const length = dimensionsOf(request, known.embedding.dimensions, where);
    if ('error' in length) return { status: 400, model, message: length.error };
    vectors.push({ values: embeddingVector(model, text.text, length.dimensions) });
  }
  return { status: 200, model, body: JSON.stringify(batch ? { embeddings: vectors } : { embedding: vectors[0] }) };
}
