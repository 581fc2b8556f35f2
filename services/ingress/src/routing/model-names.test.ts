import { describe, expect, it } from 'vitest';
import { parseModelNames, storeModelNames } from './model-names.js';

describe('operator model names', () => {
  it('round-trip through their stored JSON form, duplicates once', () => {
    expect(parseModelNames(storeModelNames(['gpt-4o', 'o3', 'gpt-4o']))).toEqual(['gpt-4o', 'o3']);
    expect(storeModelNames([])).toBeNull();
    expect(storeModelNames(null)).toBeNull();
  });

  it('read anything that is not a JSON array of names as none', () => {
    for (const stored of [null, undefined, '', 'not json', '{"a":1}', '"gpt-4o"']) expect(parseModelNames(stored)).toEqual([]);
    expect(parseModelNames('["a", 3, "", null, "b"]')).toEqual(['a', 'b']);
  });
});
