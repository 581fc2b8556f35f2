import { z } from 'zod';
import { modelNameSchema } from '../validation/model-name.js';

// OpenAI's embeddings request (POST /v1/embeddings), with the limits OpenAI's API reference states: at most
// 2048 inputs in one request, no empty string, token-id arrays not empty. The per-input token limit (8192
// for text-embedding-3-*) depends on the model's tokenizer: that is the upstream's to judge. The object is
// loose: fields the gateway does not model pass through to OpenAI-compatible upstreams (which judge them)
// and are reported as dropped where the request is translated.

/** Most inputs OpenAI takes in one embeddings request. */
export const MAX_EMBEDDING_INPUTS = 2048;

const text = z.string().min(1, 'must not be an empty string');
const tokenIds = z.array(z.number().int().nonnegative()).min(1, 'must not be an empty array');

/**
 * `input`: one text, several texts, one token-id array, or several token-id arrays. How many inputs is checked
 * after the shape, so that a list that is merely too long is told so (not that its texts are not token ids).
 */
export const embeddingsInputSchema = z
  .union([text, z.array(text), tokenIds, z.array(tokenIds)])
  .superRefine((input, ctx) => {
    if (typeof input === 'string' || typeof input[0] === 'number') return;
    if (input.length === 0) ctx.addIssue({ code: 'custom', message: 'must not be an empty array' });
    else if (input.length > MAX_EMBEDDING_INPUTS) ctx.addIssue({ code: 'custom', message: `must have at most ${MAX_EMBEDDING_INPUTS} inputs` });
  });

/** The whole request: checked once, by ingress (the body is small enough to read whole). */
export const embeddingsRequestSchema = z.looseObject({
  model: modelNameSchema,
  input: embeddingsInputSchema,
  dimensions: z.number().int().positive().nullish(),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  user: z.string().nullish(),
});

export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;
export type EmbeddingsInput = EmbeddingsRequest['input'];

/** Every input as a list: one text or token-id array becomes a list of one. */
export function embeddingInputs(input: EmbeddingsInput): string[] | number[][] {
  if (typeof input === 'string') return [input];
  if (input.length > 0 && typeof input[0] === 'number') return [input as number[]];
  return input as string[] | number[][];
}
