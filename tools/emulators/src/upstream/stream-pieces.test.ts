import { describe, expect, it } from 'vitest';
import { jsonPieces, splitEvery, splitIntoWordGroups, textPieces, WORDS_PER_DELTA } from './stream-pieces.js';

describe('stream pieces', () => {
  it('groups words, keeping whitespace so the pieces join back', () => {
    const text = 'Hello from gpt-4o:  one two\nthree four five';
    const pieces = splitIntoWordGroups(text, 3);
    expect(pieces).toEqual(['Hello from gpt-4o:  ', 'one two\nthree ', 'four five']);
    expect(pieces.join('')).toBe(text);
    expect(splitIntoWordGroups('')).toEqual(['']);
    expect(splitIntoWordGroups('  lead')).toEqual(['  lead']);
  });

  it('splits JSON into fixed-size fragments without breaking surrogate pairs', () => {
    expect(splitEvery('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(splitEvery('😀😀😀', 2)).toEqual(['😀😀', '😀']);
    expect(splitEvery('', 3)).toEqual(['']);
  });

  it('uses realistic sizes by default and exactly `chunks` pieces when steered', () => {
    const text = 'one two three four five six seven';
    expect(textPieces(text, undefined)).toHaveLength(Math.ceil(7 / WORDS_PER_DELTA));
    expect(textPieces(text, 5)).toHaveLength(5);
    const json = JSON.stringify({ city: 'city-value', days: 42 });
    expect(jsonPieces(json, undefined).length).toBeGreaterThan(1);
    expect(jsonPieces(json, undefined).join('')).toBe(json);
    expect(jsonPieces(json, 2)).toHaveLength(2);
  });
});
