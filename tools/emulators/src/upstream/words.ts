// The emulator's token unit is the whitespace-separated word: cheap to count, easy for tests to predict,
// and the same whatever wire format carried the text.

/** Counts whitespace-separated words: the emulator's token unit. */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** Keeps the first `words` words of the text, with their original spacing. */
export function truncateWords(text: string, words: number): string {
  if (words <= 0) return '';
  let seen = 0;
  for (const match of text.matchAll(/\S+/g)) {
    seen++;
    if (seen === words) return text.slice(0, match.index + match[0].length);
  }
  return text;
}

/** The first `limit` code points of the text (never half a surrogate pair). */
export function capCodePoints(text: string, limit: number): string {
  // Fast path: a string no longer than the limit in UTF-16 units cannot exceed it in code points.
  if (text.length <= limit) return text;
  return Array.from(text).slice(0, limit).join('');
}
