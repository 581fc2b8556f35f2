import { describe, expect, it } from 'vitest';
import { argumentsFromSchema, valueFor } from './tool-arguments.js';

describe('argumentsFromSchema', () => {
  it('fills required properties by type', () => {
    const schema = {
      type: 'object',
      properties: {
        city: { type: 'string' },
        days: { type: 'integer' },
        ratio: { type: 'number' },
        metric: { type: 'boolean' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        kind: { const: 'forecast' },
        note: { type: 'string' },
      },
      required: ['city', 'days', 'ratio', 'metric', 'unit', 'kind'],
    };
    expect(argumentsFromSchema(schema)).toEqual({ city: 'city-value', days: 42, ratio: 42, metric: true, unit: 'celsius', kind: 'forecast' });
  });

  it('takes every property when `required` is absent, and none when it is empty', () => {
    const properties = { a: { type: 'string' }, b: { type: 'number' } };
    expect(argumentsFromSchema({ type: 'object', properties })).toEqual({ a: 'a-value', b: 42 });
    expect(argumentsFromSchema({ type: 'object', properties, required: [] })).toEqual({});
  });

  it('handles nested objects, arrays, type lists, unions and Gemini upper-case types', () => {
    const schema = {
      type: 'OBJECT',
      properties: {
        filter: { type: 'OBJECT', properties: { tags: { type: 'ARRAY', items: { type: 'STRING' } }, limit: { type: ['integer', 'null'] } } },
        ids: { type: 'array', items: { type: 'integer' } },
        empty: { type: 'array' },
        either: { anyOf: [{ type: 'null' }, { type: 'boolean' }] },
      },
    };
    expect(argumentsFromSchema(schema)).toEqual({ filter: { tags: ['tags-value'], limit: 42 }, ids: [42], empty: [], either: true });
  });

  it('gives {} for tools without a schema and stops at a depth limit', () => {
    expect(argumentsFromSchema(undefined)).toEqual({});
    expect(argumentsFromSchema({ type: 'object' })).toEqual({});
    const deep: Record<string, unknown> = { type: 'object', properties: {} };
    (deep.properties as Record<string, unknown>).self = deep; // a recursive schema ($ref-like)
    expect(JSON.stringify(argumentsFromSchema(deep)).length).toBeLessThan(200);
    expect(valueFor({}, 'x')).toBe('x-value');
  });

  it('takes the arguments a conversation asked for, typed by the schema', () => {
    const schema = {
      type: 'object',
      properties: { file_path: { type: 'string' }, offset: { type: 'integer' }, limit: { type: 'number' }, all: { type: 'boolean' } },
      required: ['file_path'],
    };
    expect(argumentsFromSchema(schema, { file_path: '/tmp/notes.txt' })).toEqual({ file_path: '/tmp/notes.txt' });
    expect(argumentsFromSchema(schema, { offset: '3', limit: 'x', all: 'true' })).toEqual({ file_path: 'file_path-value', offset: 3, limit: 'x', all: true });
  });
});
