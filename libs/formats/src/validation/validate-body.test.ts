import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatPath, markUnsupported, uncarriedFields, validateBody } from './validate-body.js';

describe('validateBody', () => {
  const schema = z.object({ n: z.number(), items: z.array(z.union([z.string(), z.object({ id: z.number() })])) });

  it('names every bad field with a readable path, and the first as the param', () => {
    try {
      validateBody(schema, { items: ['a', { id: 'x' }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'INVALID_REQUEST',
        message: 'n: Field required; items[1].id: Invalid input: expected number, received string',
        details: { param: 'n' },
      });
    }
  });

  it('refuses bodies that are not objects', () => {
    expect(() => validateBody(schema, 'text')).toThrowError('request body must be a JSON object');
    expect(() => validateBody(schema, null)).toThrowError('request body must be a JSON object');
  });
});

describe('body field helpers', () => {
  it('formats paths', () => {
    expect(formatPath(['messages', 0, 'content', 2, 'text'])).toBe('messages[0].content[2].text');
    expect(formatPath([])).toBe('body');
  });

  it('lists set fields a translation does not carry', () => {
    expect(uncarriedFields({ model: 'm', seed: 1, user: null, logprobs: false }, new Set(['model']))).toEqual(['seed', 'logprobs']);
  });

  it('marks unknown part types as unsupported', () => {
    const mark = markUnsupported(new Set(['text']));
    expect(mark({ type: 'text', text: 'a' })).toEqual({ type: 'text', text: 'a' });
    expect(mark({ type: 'input_audio', data: 'x' })).toEqual({ type: 'unsupported', name: 'input_audio' });
    expect(mark('plain')).toBe('plain');
  });
});
