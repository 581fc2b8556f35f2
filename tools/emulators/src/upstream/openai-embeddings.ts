import { embeddingVector, float32Base64, tokenIdsText } from './embedding-vectors.js';
import { isObject } from './json-fields.js';
import { OPENAI_MODELS, type CatalogModel } from './model-catalog.js';
import { countWords } from './words.js';

// OpenAI POST /v1/embeddings: {model, input, dimensions?, encoding_format?, user?} →
// {object:"list", data:[{object:"embedding", index, embedding}], model, usage:{prompt_tokens, total_tokens}}.
// As OpenAI does: at most 2048 inputs, no empty string, an unknown model is 404 model_not_found, a chat model
// cannot embed, and `dimensions` is refused by models that cannot shorten their vectors (ada-002).
// Tokens are the emulator's unit: words of each text, the length of each token-id array.

/** Most inputs OpenAI takes in one request. */
export const MAX_OPENAI_INPUTS = 2048;

const INVALID_INPUT = "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";

/** A parsed request ready to answer, or the status and message OpenAI refuses it with. */
export type EmbeddingsOutcome = { status: 200; model: string; body: string } | { status: number; model: string; message: string };

const isTokenIds = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((id) => Number.isInteger(id) && (id as number) >= 0);

/** Each input as the text its vector comes from, with its token count; undefined when `input` is not valid. */
export function openAiInputs(input: unknown): { text: string; tokens: number }[] | undefined {
  if (typeof input === 'string') return input === '' ? undefined : [{ text: input, tokens: countWords(input) }];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (isTokenIds(input)) return [{ text: tokenIdsText(input), tokens: input.length }];
  if (input.length > MAX_OPENAI_INPUTS) return undefined;
  if (input.every((item) => typeof item === 'string' && item !== '')) return (input as string[]).map((text) => ({ text, tokens: countWords(text) }));
  if (input.every(isTokenIds)) return (input as number[][]).map((ids) => ({ text: tokenIdsText(ids), tokens: ids.length }));
  return undefined;
}

function embeddingModel(id: string): CatalogModel | undefined {
  return OPENAI_MODELS.find((m) => m.id === id);
}

/** Answers one embeddings request body as OpenAI would. */
export function openAiEmbeddings(body: unknown): EmbeddingsOutcome {
  if (!isObject(body)) return { status: 400, model: '', message: 'We could not parse the JSON body of your request.' };
  const model = typeof body.model === 'string' ? body.model : '';
  if (model === '') return { status: 400, model, message: 'you must provide a model parameter' };
  if (body.input === undefined) return { status: 400, model, message: "'input' is a required property" };
  const inputs = openAiInputs(body.input);
  if (inputs === undefined) return { status: 400, model, message: INVALID_INPUT };
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    return { status: 400, model, message: `Invalid value for 'encoding_format': '${String(format)}'. Supported values are: 'float' and 'base64'.` };
  }
  const known = embeddingModel(model);
  if (known === undefined) return { status: 404, model, message: `The model \`${model}\` does not exist or you do not have access to it.` };
  if (known.embedding === undefined) return { status: 400, model, message: 'You are not allowed to generate embeddings from this model' };
  let dimensions = known.embedding.dimensions;
  if (body.dimensions !== undefined && body.dimensions !== null) {
    if (!known.embedding.shortens) return { status: 400, model, message: 'This model does not support specifying dimensions.' };
    const asked = body.dimensions;
    if (!Number.isInteger(asked) || (asked as number) < 1 || (asked as number) > dimensions) {
      return { status: 400, model, message: `Invalid value for 'dimensions' = ${String(asked)}. Must be between 1 and ${dimensions}.` };
    }
    dimensions = asked as number;
  }
  const data = inputs.map((input, index) => {
    const vector = embeddingVector(model, input.text, dimensions);
    return { object: 'embedding', index, embedding: format === 'base64' ? float32Base64(vector) : vector };
  });
  const tokens = inputs.reduce((sum, input) => sum + input.tokens, 0);
  return { status: 200, model, body: JSON.stringify({ object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } }) };
}
