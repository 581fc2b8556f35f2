import type { IrUsage } from '../ir/chat-ir.js';

// OpenAI's embeddings answer, for upstreams that answer in another shape: {object:"list", data:[{object:
// "embedding", index, embedding}], model, usage:{prompt_tokens, total_tokens}}. With encoding_format
// "base64" each embedding is the base64 of its float32 values, little-endian, as OpenAI sends it (and as the
// official SDKs, which ask for base64 by default, decode it).

/** A vector as OpenAI's base64 encoding: float32, little-endian, base64. */
export function float32Base64(values: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i] as number, i * 4);
  return bytes.toString('base64');
}

/** The usage of an embeddings call: input tokens only. */
export function embeddingsUsage(promptTokens: number): IrUsage {
  return { inputTokens: promptTokens, outputTokens: 0, cachedInputTokens: 0 };
}

/** OpenAI's embeddings list for vectors in input order. */
export function openAiEmbeddingList(vectors: readonly (readonly number[])[], model: string, promptTokens: number, base64: boolean): Record<string, unknown> {
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({ object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
