import { describe, expect, it } from 'vitest';
import { parseAnthropicRequest } from './anthropic-request.js';
import { parseGoogleRequest } from './google-request.js';
import { parseOpenAiRequest } from './openai-request.js';
import { geminiSchemaToJsonSchema } from './response-format-request.js';

const CLOSED = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
const openai = (response_format: unknown) => parseOpenAiRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], response_format });
const anthropic = (extra: Record<string, unknown>) => parseAnthropicRequest({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], ...extra });
const google = (generationConfig: Record<string, unknown>) => parseGoogleRequest({ contents: [{ parts: [{ text: 'hi' }] }], generationConfig }, 'm', false, '');

describe('OpenAI response_format', () => {
  it('reads json_schema, json_object and text', () => {
    expect(openai({ type: 'json_schema', json_schema: { name: 'a', schema: CLOSED, strict: true } })).toMatchObject({ responseFormat: { type: 'json_schema', schema: CLOSED } });
    expect(parseOpenAiRequest({ model: 'm', messages: [{ role: 'user', content: 'hi in JSON' }], response_format: { type: 'json_object' } })).toMatchObject({ responseFormat: { type: 'json_object' } });
    expect(openai({ type: 'text' })).not.toHaveProperty('responseFormat');
  });

  it('refuses what OpenAI refuses: JSON mode in a conversation that never says "json", no name, a strict schema outside the strict subset', () => {
    expect(openai({ type: 'json_object' })).toMatchObject({ error: expect.stringContaining("must contain the word 'json'") });
    expect(openai({ type: 'json_schema', json_schema: { schema: CLOSED } })).toEqual({ error: "Missing required parameter: 'response_format.json_schema.name'." });
    const open = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a'], additionalProperties: false };
    expect(openai({ type: 'json_schema', json_schema: { name: 'x', schema: open, strict: true } })).toMatchObject({ error: expect.stringContaining("Missing 'b'") });
    expect(openai({ type: 'json_schema', json_schema: { name: 'x', schema: { ...CLOSED, additionalProperties: undefined }, strict: true } })).toMatchObject({ error: expect.stringContaining('additionalProperties') });
    expect(openai({ type: 'json_schema', json_schema: { name: 'x', schema: open } })).toMatchObject({ responseFormat: { type: 'json_schema' } });
  });
});

describe('Anthropic output_config / output_format', () => {
  it('reads both spellings', () => {
    const format = { type: 'json_schema', schema: CLOSED };
    expect(anthropic({ output_config: { format } })).toMatchObject({ responseFormat: format });
    expect(anthropic({ output_format: format })).toMatchObject({ responseFormat: format });
    expect(anthropic({ output_config: { effort: 'low' } })).not.toHaveProperty('responseFormat');
  });

  it('refuses open objects and numeric or length constraints, as Anthropic does', () => {
    expect(anthropic({ output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: {} } } } })).toMatchObject({ error: expect.stringContaining('additionalProperties') });
    const limited = { ...CLOSED, properties: { a: { type: 'string', maxLength: 3 } } };
    expect(anthropic({ output_config: { format: { type: 'json_schema', schema: limited } } })).toMatchObject({ error: "output_config.format.schema: 'maxLength' is not supported" });
    expect(anthropic({ output_format: { type: 'json_schema' } })).toEqual({ error: 'output_format.schema: Field required' });
  });
});

describe('Gemini generationConfig', () => {
  it('reads responseJsonSchema, responseSchema (converted) and JSON mode, in both key spellings', () => {
    expect(google({ responseMimeType: 'application/json', responseJsonSchema: CLOSED })).toMatchObject({ responseFormat: { type: 'json_schema', schema: CLOSED } });
    expect(google({ response_mime_type: 'application/json', response_schema: { type: 'OBJECT', properties: { a: { type: 'STRING', nullable: true } }, required: ['a'] } })).toMatchObject({
      responseFormat: { type: 'json_schema', schema: { type: 'object', properties: { a: { type: ['string', 'null'] } }, required: ['a'] } },
    });
    expect(google({ responseMimeType: 'application/json' })).toMatchObject({ responseFormat: { type: 'json_object' } });
  });

  it('refuses a schema without the JSON MIME type, two schemas, and fields the Schema message does not have', () => {
    expect(google({ responseJsonSchema: CLOSED })).toMatchObject({ error: expect.stringContaining('response_mime_type') });
    expect(google({ responseMimeType: 'application/json', responseJsonSchema: CLOSED, responseSchema: { type: 'OBJECT' } })).toMatchObject({ error: expect.stringContaining('cannot both') });
    expect(google({ responseMimeType: 'application/json', responseSchema: CLOSED })).toMatchObject({ error: expect.stringContaining('Unknown name "additionalProperties"') });
  });

  it('converts anyOf with nullable and keeps constraints', () => {
    expect(geminiSchemaToJsonSchema({ anyOf: [{ type: 'INTEGER', minimum: 1 }], nullable: true, propertyOrdering: ['x'] }, 'at')).toEqual({ anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] });
  });
});
