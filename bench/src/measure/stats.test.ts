import { describe, expect, it } from 'vitest';
import { median, percentile, sortedSamples } from './stats.js';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const sorted = sortedSamples([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]);
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 99)).toBe(10);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(10);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('median', () => {
  it('handles odd and even counts and ignores NaN', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});
