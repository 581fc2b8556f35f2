import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { assertJsonDepth, jsonDepthWithin } from './json-limits.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value };
  return value;
}

describe('JSON depth limits', () => {
  it('measures nesting of objects and arrays, not of scalars', () => {
    expect(jsonDepthWithin('text', 0)).toBe(true);
    expect(jsonDepthWithin({ a: [1, { b: 2 }] }, 3)).toBe(true);
    expect(jsonDepthWithin({ a: [1, { b: 2 }] }, 2)).toBe(false);
  });

  it('refuses 100,000 levels as INVALID_REQUEST without overflowing the stack', () => {
    const deep = nested(100_000);
    expect(jsonDepthWithin(nested(1_000), 1_000)).toBe(true);
    expect(() => assertJsonDepth(deep)).toThrowError(AppError);
    expect(() => assertJsonDepth(deep)).toThrowError('request body is nested deeper than 128 levels');
    expect(() => assertJsonDepth(nested(128))).not.toThrow();
  });
});
