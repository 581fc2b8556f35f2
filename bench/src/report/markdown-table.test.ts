import { describe, expect, it } from 'vitest';
import { count, markdownTable, ms, plusMs } from './markdown-table.js';

describe('markdown formatting', () => {
  it('keeps sub-millisecond precision', () => {
    expect(ms(0.0451)).toBe('0.045');
    expect(ms(4.7)).toBe('4.70');
    expect(ms(211.26)).toBe('211.3');
    expect(ms(3300)).toBe('3300');
    expect(ms(Number.NaN)).toBe('—');
    expect(plusMs(0.5)).toBe('+0.500');
    expect(count(26700.4)).toBe('26,700');
  });

  it('builds a table with escaped pipes', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '1']])).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 1 |');
  });
});
