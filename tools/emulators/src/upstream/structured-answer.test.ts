import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildReply } from './reply.js';
import { answerPieces } from './stream-pieces.js';
import { InvalidSchemaError, schemaInstance, structuredAnswerText } from './structured-answer.js';

const ajv = new Ajv2020({ strict: false, validateFormats: false });

/** Schemas as clients really send them: zod's output, OpenAI strict, references, unions, constraints. */
const SCHEMAS: Record<string, Record<string, unknown>> = {
  zod: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 3, maxLength: 12 },
      age: { type: 'integer', minimum: 18, maximum: 99 },
      email: { type: 'string', format: 'email' },
      tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]{2,5}$' }, minItems: 2, maxItems: 4 },
      nick: { type: 'string' },
    },
    required: ['name', 'age', 'email', 'tags'],
    additionalProperties: false,
  },
  refs: {
    type: 'object',
    properties: { root: { $ref: '#/$defs/node' } },
    required: ['root'],
    additionalProperties: false,
    $defs: { node: { type: 'object', properties: { value: { type: 'integer' }, next: { anyOf: [{ $ref: '#/$defs/node' }, { type: 'null' }] } }, required: ['value', 'next'], additionalProperties: false } },
  },
  unions: {
    type: 'object',
    properties: { kind: { const: 'point' }, x: { oneOf: [{ type: 'string', enum: ['left', 'right'] }, { type: 'number', exclusiveMinimum: 0, multipleOf: 0.5 }] }, note: { type: ['string', 'null'] } },
    required: ['kind', 'x', 'note'],
  },
  'array root': { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] }, minItems: 1 },
};

describe('structured answers', () => {
  it.each(Object.entries(SCHEMAS))('an instance valid against the schema (%s), the same every time', (_name, schema) => {
    const text = structuredAnswerText({ type: 'json_schema', schema }, 'prose');
    expect(ajv.validate(schema, JSON.parse(text)), JSON.stringify(ajv.errors)).toBe(true);
    expect(structuredAnswerText({ type: 'json_schema', schema }, 'other prose')).toBe(text);
  });

  it('answers JSON mode with the prose wrapped in an object', () => {
    expect(JSON.parse(structuredAnswerText({ type: 'json_object' }, 'Hello there'))).toEqual({ answer: 'Hello there' });
  });

  it('refuses a schema no document satisfies or whose reference goes nowhere', () => {
    expect(() => schemaInstance({ $ref: '#/$defs/missing' })).toThrow(InvalidSchemaError);
    expect(() => schemaInstance({ $ref: 'https://example.com/remote.json' })).toThrow(InvalidSchemaError);
  });

  it('becomes the reply text, counted and streamed as JSON fragments', () => {
    const reply = buildReply({
      model: 'm',
      stream: true,
      lastUserText: 'extract it',
      inputTokens: 2,
      streamUsage: true,
      responseFormat: { type: 'json_schema', schema: SCHEMAS.zod as Record<string, unknown> },
    });
    expect(reply).toMatchObject({ structured: true, finish: 'stop' });
    expect(reply.text).toBe(JSON.stringify(schemaInstance(SCHEMAS.zod as Record<string, unknown>)));
    const pieces = answerPieces(reply, undefined);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe(reply.text);
  });
});
