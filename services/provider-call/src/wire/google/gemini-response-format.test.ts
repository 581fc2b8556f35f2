import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/chat-ir.js';
import { geminiRequestToIr } from './gemini-request-decoder.js';
import { irToGeminiRequest } from './gemini-request.js';
import { geminiResponseJsonSchema } from './gemini-response-format.js';

const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };

const decode = (generationConfig: Record<string, unknown>) =>
  geminiRequestToIr({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig }, false).ir;

describe('Gemini generationConfig → IR response format', () => {
  it('reads responseJsonSchema as it is, and JSON mode without a schema as any JSON', () => {
    expect(decode({ responseMimeType: 'application/json', responseJsonSchema: SCHEMA })).toMatchObject({
      responseFormat: { type: 'json_schema', schema: SCHEMA },
      dropped: [],
    });
    expect(decode({ responseMimeType: 'application/json' }).responseFormat).toEqual({ type: 'json_object' });
    expect(decode({ responseMimeType: 'text/plain' }).responseFormat).toBeUndefined();
  });

  it('turns responseSchema (OpenAPI style, either case, snake_case keys too) into JSON Schema', () => {
    const ir = geminiRequestToIr(
      {
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        generation_config: {
          response_mime_type: 'application/json',
          response_schema: {
            type: 'OBJECT',
            properties: {
              city: { type: 'STRING', nullable: true },
              kind: { anyOf: [{ type: 'string' }, { type: 'integer' }], nullable: true },
              days: { type: 'integer', minimum: 1 },
            },
            required: ['city'],
            propertyOrdering: ['city', 'kind', 'days'],
          },
        },
      },
      false,
    ).ir;
    expect(ir.responseFormat).toEqual({
      type: 'json_schema',
      schema: {
        type: 'object',
        properties: {
          city: { type: ['string', 'null'] },
          kind: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] },
          days: { type: 'integer', minimum: 1 },
        },
        required: ['city'],
      },
    });
    expect(ir.dropped).toEqual(['generationConfig.responseSchema.propertyOrdering']);
  });

  it('refuses what Gemini refuses and reports enum answers', () => {
    expect(() => decode({ responseJsonSchema: SCHEMA })).toThrow(/responseMimeType/);
    expect(() => decode({ responseMimeType: 'application/json', responseJsonSchema: SCHEMA, responseSchema: { type: 'OBJECT' } })).toThrow(/not both/);
    expect(() => decode({ responseMimeType: 'application/json', responseJsonSchema: 'x' })).toThrow(/responseJsonSchema/);
    const ir = decode({ responseMimeType: 'text/x.enum', responseSchema: { type: 'STRING', enum: ['a', 'b'] } });
    expect(ir.responseFormat).toBeUndefined();
    expect(ir.dropped.sort()).toEqual(['generationConfig.responseMimeType', 'generationConfig.responseSchema']);
  });
});

describe('IR → Gemini responseJsonSchema', () => {
  it('keeps the keywords Gemini enforces, maps const, and reports the rest', () => {
    const dropped = new Set<string>();
    const schema = geminiResponseJsonSchema(
      {
        type: 'json_schema',
        name: 'place',
        description: 'A place',
        schema: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: { city: { type: 'string', pattern: '^[A-Z]' }, kind: { const: 'town' }, n: { type: 'integer', minimum: 0 } },
          required: ['city', 'kind', 'n'],
          additionalProperties: false,
        },
      },
      dropped,
    );
    expect(schema).toEqual({
      type: 'object',
      title: 'place',
      description: 'A place',
      properties: { city: { type: 'string' }, kind: { enum: ['town'] }, n: { type: 'integer', minimum: 0 } },
      required: ['city', 'kind', 'n'],
      additionalProperties: false,
    });
    expect([...dropped]).toEqual(['response_schema.pattern']);
  });

  it('is set in generationConfig (Cloud Code shares it)', () => {
    const ir: IrRequest = {
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
      tools: [],
      stop: [],
      stream: false,
      dropped: [],
      responseFormat: { type: 'json_schema', schema: SCHEMA },
    };
    expect(irToGeminiRequest(ir).request.generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: SCHEMA });
    expect(irToGeminiRequest({ ...ir, responseFormat: { type: 'json_object' } }).request.generationConfig).toEqual({ responseMimeType: 'application/json' });
  });
});
