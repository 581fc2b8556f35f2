import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size.js';

describe('parseByteSize', () => {
  it('reads the units express.json accepts, 1024-based', () => {
    expect(parseByteSize('10mb')).toBe(10 * 1024 * 1024);
    expect(parseByteSize('1kb')).toBe(1024);
    expect(parseByteSize('1.5KB')).toBe(1536);
    expect(parseByteSize('2048')).toBe(2048);
    expect(parseByteSize('1gb')).toBe(1024 ** 3);
  });

  it('refuses what it cannot read', () => {
    expect(() => parseByteSize('ten mb')).toThrow(/not a byte size/);
    expect(() => parseByteSize('')).toThrow();
  });
});
