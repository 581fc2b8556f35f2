import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/chat-ir.js';
import { anthropicOutputSchema, irToAnthropicOutputConfig } from './anthropic-output-format.js';
import { irToAnthropicRequest } from './anthropic-request-encoder.js';
import { anthropicRequestToIr } from './anthropic-request.js';

const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer' } },
  required: ['city', 'days'],
  additionalProperties: false,
};

const decode = (extra: Record<string, unknown>) =>
  anthropicRequestToIr({ model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...extra }, false).ir;

describe('Anthropic output_config / output_format → IR', () => {
  it('reads output_config.format and the older output_format alike', () => {
    const format = { type: 'json_schema', schema: SCHEMA };
    expect(decode({ output_config: { format } })).toMatchObject({ responseFormat: { type: 'json_schema', schema: SCHEMA }, dropped: [] });
    expect(decode({ output_format: format })).toMatchObject({ responseFormat: { type: 'json_schema', schema: SCHEMA }, dropped: [] });
  });

  it('reports the output_config keys it cannot carry and refuses two schemas at once', () => {
    const ir = decode({ output_config: { effort: 'high' } });
    expect(ir.responseFormat).toBeUndefined();
    expect(ir.dropped).toEqual(['output_config.effort']);
    const format = { type: 'json_schema', schema: SCHEMA };
    expect(() => decode({ output_config: { format }, output_format: format })).toThrow(/not both/);
    expect(() => decode({ output_config: { format: { type: 'json_schema' } } })).toThrow(/output_config\.format\.schema/);
  });
});

describe('IR → Anthropic output_config', () => {
  it('closes objects and writes what Anthropic cannot enforce into the description, reporting it', () => {
    const dropped = new Set<string>();
    const schema = anthropicOutputSchema(
      {
        type: 'json_schema',
        name: 'forecast',
        schema: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: {
            city: { type: 'string', minLength: 2, description: 'City' },
            when: { type: 'string', format: 'date' },
            tags: { type: 'array', items: { type: 'string' }, minItems: 3 },
            kind: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
          },
          required: ['city'],
        },
      },
      dropped,
    );
    expect(schema).toEqual({
      type: 'object',
      title: 'forecast',
      properties: {
        city: { type: 'string', description: 'City\n\n{minLength: 2}' },
        when: { type: 'string', format: 'date' },
        tags: { type: 'array', items: { type: 'string' }, description: '{minItems: 3}' },
        kind: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      },
      required: ['city'],
      additionalProperties: false,
    });
    expect([...dropped].sort()).toEqual(['response_schema.minItems', 'response_schema.minLength']);
  });

  it('leaves out the safe-integer bounds zod writes on every .int(), which constrain nothing', () => {
    const dropped = new Set<string>();
    const days = { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
    expect(anthropicOutputSchema({ type: 'json_schema', schema: days }, dropped)).toEqual({ type: 'integer' });
    expect(anthropicOutputSchema({ type: 'json_schema', schema: { ...days, maximum: 7 } }, dropped)).toEqual({ type: 'integer', description: '{maximum: 7}' });
    expect([...dropped]).toEqual(['response_schema.maximum']);
  });

  it('reports a record (open object) and json_object, which Anthropic has no way to ask for', () => {
    const dropped = new Set<string>();
    const schema = anthropicOutputSchema({ type: 'json_schema', schema: { type: 'object', additionalProperties: { type: 'number' } } }, dropped);
    expect(schema).toEqual({ type: 'object', additionalProperties: false, description: '{additionalProperties: {"type":"number"}}' });
    expect(irToAnthropicOutputConfig({ type: 'json_object' }, dropped)).toBeUndefined();
    expect([...dropped].sort()).toEqual(['response_format:json_object', 'response_schema.additionalProperties']);
    const free = new Set<string>();
    expect(anthropicOutputSchema({ type: 'json_schema', schema: { type: 'object' } }, free)).toEqual({ type: 'object', additionalProperties: false });
    expect([...free]).toEqual(['response_schema.additionalProperties']);
  });

  it('is set on the upstream body', () => {
    const ir: IrRequest = {
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
      tools: [],
      stop: [],
      stream: false,
      dropped: [],
      responseFormat: { type: 'json_schema', schema: SCHEMA },
    };
    const { body, dropped } = irToAnthropicRequest(ir, 'claude');
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema: SCHEMA } });
    expect(dropped).toEqual([]);
  });
});
