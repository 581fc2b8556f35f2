import { createHash } from 'node:crypto';

// Deterministic embeddings: the same model, text and length always give the same unit-length vector, drawn
// from a generator seeded by a hash of the three, so tests can compare vectors across calls, accounts and
// wire formats. Values are float32 (as every real API's are), so the JSON and base64 forms agree exactly.

/** sfc32: a small, fast generator with a 128-bit state, enough for test vectors. */
function sfc32(seed: Buffer): () => number {
  let a = seed.readUInt32LE(0);
  let b = seed.readUInt32LE(4);
  let c = seed.readUInt32LE(8);
  let d = seed.readUInt32LE(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
}

/** The vector of `text` under `model`, `dimensions` long, of unit length (float32 values). */
export function embeddingVector(model: string, text: string, dimensions: number): number[] {
  const next = sfc32(createHash('sha256').update(`${model}\n${dimensions}\n${text}`).digest());
  const raw = new Array<number>(dimensions);
  let sumSquares = 0;
  for (let i = 0; i < dimensions; i++) {
    const value = next() * 2 - 1;
    raw[i] = value;
    sumSquares += value * value;
  }
  const norm = Math.sqrt(sumSquares) || 1;
  return raw.map((value) => Math.fround(value / norm));
}

/** OpenAI's `encoding_format: "base64"`: the float32 values, little-endian, base64. */
export function float32Base64(values: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i] as number, i * 4);
  return bytes.toString('base64');
}

/** A token-id input as the text the vector is drawn from (the emulator has no tokenizer to decode it). */
export function tokenIdsText(ids: readonly number[]): string {
  return `tokens:${ids.join(',')}`;
}
