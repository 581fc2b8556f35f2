import { describe, expect, it } from 'vitest';
import { droppedFieldsHeader } from './dropped-fields-header.js';

describe('droppedFieldsHeader', () => {
  it('joins field paths with commas, and is absent when nothing was dropped', () => {
    expect(droppedFieldsHeader([])).toBeUndefined();
    expect(droppedFieldsHeader(['logprobs', 'messages[0].content[1].cache_control'])).toBe('logprobs,messages[0].content[1].cache_control');
  });

  it('percent-encodes whatever would break the header or the list', () => {
    expect(droppedFieldsHeader(['a,b', 'x\r\ny', 'naïve key', '100%', '\ud800'])).toBe('a%2Cb,x%0D%0Ay,na%C3%AFve%20key,100%25,%EF%BF%BD');
  });

  it('caps a very long list and says how many were left out', () => {
    const fields = Array.from({ length: 500 }, (_, i) => `tools[${i}].function.strict`);
    const value = droppedFieldsHeader(fields)!;
    expect(value.length).toBeLessThanOrEqual(2_048 + 16);
    const parts = value.split(',');
    expect(parts.at(-1)).toBe(`+${500 - (parts.length - 1)}-more`);
    expect(droppedFieldsHeader(['x'.repeat(5_000)])).toBe('+1-more');
  });
});
