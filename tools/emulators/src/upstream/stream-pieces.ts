// How streamed strings are cut into deltas. Real providers send a token or a few words per event and
// tool arguments as arbitrary JSON fragments; gateways must reassemble both, so the emulator does the
// same by default. The `chunks` steering instead asks for exactly N near-equal pieces (tests that need
// many small events, or a known event count).

/** Words per streamed text delta when no `chunks` steering is given. */
export const WORDS_PER_DELTA = 3;

/** Characters per streamed tool-argument fragment when no `chunks` steering is given. */
export const JSON_FRAGMENT_CHARS = 12;

/**
 * Splits text into `parts` pieces of near-equal length (fewer when the text is shorter), never inside
 * a surrogate pair. Joining the pieces gives the text back.
 */
export function splitIntoChunks(text: string, parts: number): string[] {
  const chars = Array.from(text);
  const n = Math.max(1, Math.min(Math.floor(parts), chars.length));
  if (n === 1) return [text];
  const pieces: string[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * chars.length) / n);
    const to = Math.floor(((i + 1) * chars.length) / n);
    pieces.push(chars.slice(from, to).join(''));
  }
  return pieces;
}

/**
 * Splits text into pieces of `words` words each; whitespace stays with the word before it, so joining
 * the pieces gives the text back. '' gives [''].
 */
export function splitIntoWordGroups(text: string, words: number = WORDS_PER_DELTA): string[] {
  const pieces: string[] = [];
  let start = 0;
  let count = 0;
  for (const match of text.matchAll(/\S+/g)) {
    count++;
    if (count > words) {
      pieces.push(text.slice(start, match.index));
      start = match.index;
      count = 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** Splits into pieces of at most `size` code points. '' gives ['']. */
export function splitEvery(text: string, size: number): string[] {
  const chars = Array.from(text);
  if (chars.length <= size) return [text];
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

/** Deltas of streamed text (answer or reasoning): word groups, or `chunks` equal pieces when steered. */
export function textPieces(text: string, chunks: number | undefined): string[] {
  return chunks === undefined ? splitIntoWordGroups(text) : splitIntoChunks(text, chunks);
}

/** Deltas of an answer's text: JSON fragments for structured output, else as textPieces. */
export function answerPieces(reply: { text: string; structured?: boolean }, chunks: number | undefined): string[] {
  return reply.structured === true ? jsonPieces(reply.text, chunks) : textPieces(reply.text, chunks);
}

/** Fragments of streamed tool-call arguments (JSON text). */
export function jsonPieces(json: string, chunks: number | undefined): string[] {
  return chunks === undefined ? splitEvery(json, JSON_FRAGMENT_CHARS) : splitIntoChunks(json, chunks);
}
