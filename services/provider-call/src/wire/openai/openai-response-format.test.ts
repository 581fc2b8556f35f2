import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import type { IrRequest } from '../../ir/chat-ir.js';
import { irToOpenAiRequest } from './openai-request-encoder.js';
import { openAiRequestToIr } from './openai-request.js';
import { fitsStrictMode, irToOpenAiResponseFormat, schemaName } from './openai-response-format.js';

const PERSON = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
  additionalProperties: false,
};

const decode = (response_format: unknown) =>
  openAiRequestToIr({ model: 'm', messages: [{ role: 'user', content: 'hi' }], response_format }, false).ir;

describe('OpenAI response_format → IR', () => {
  it('carries json_schema with its name, description and strict flag, and json_object', () => {
    const ir = decode({ type: 'json_schema', json_schema: { name: 'person', description: 'A person', schema: PERSON, strict: true } });
    expect(ir.responseFormat).toEqual({ type: 'json_schema', schema: PERSON, name: 'person', description: 'A person', strict: true });
    expect(ir.dropped).toEqual([]);
    expect(decode({ type: 'json_object' }).responseFormat).toEqual({ type: 'json_object' });
    expect(decode({ type: 'json_schema', json_schema: { name: 'any' } }).responseFormat).toEqual({ type: 'json_object' });
  });

  it('treats text as no format, rejects a schema without a valid name and reports other types', () => {
    expect(decode({ type: 'text' }).responseFormat).toBeUndefined();
    expect(() => decode({ type: 'json_schema', json_schema: { schema: PERSON } })).toThrow(AppError);
    expect(() => decode({ type: 'json_schema', json_schema: { name: 'bad name', schema: PERSON } })).toThrow(/response_format\.json_schema\.name/);
    expect(() => decode({ type: 'json_schema' })).toThrow(/response_format\.json_schema/);
    const other = decode({ type: 'regex', pattern: '[a-z]+' });
    expect(other.responseFormat).toBeUndefined();
    expect(other.dropped).toEqual(['response_format:regex']);
  });
});

describe('IR → OpenAI response_format', () => {
  it('sends a schema that fits strict mode as strict, closing objects that say nothing about extra keys', () => {
    const open = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    expect(irToOpenAiResponseFormat({ type: 'json_schema', schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', ...open } })).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema: { ...open, additionalProperties: false }, strict: true },
    });
  });

  it('keeps a free-form object open, and so out of strict mode', () => {
    const free = { type: 'object', properties: { meta: { type: 'object' } }, required: ['meta'] };
    expect(irToOpenAiResponseFormat({ type: 'json_schema', schema: free })).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: free } });
  });

  it('sends other schemas best-effort, unchanged', () => {
    const optional = { type: 'object', properties: { name: { type: 'string' }, nick: { type: 'string' } }, required: ['name'] };
    expect(irToOpenAiResponseFormat({ type: 'json_schema', schema: optional, name: 'p', description: 'd' })).toEqual({
      type: 'json_schema',
      json_schema: { name: 'p', schema: optional, description: 'd' },
    });
    expect(irToOpenAiResponseFormat({ type: 'json_object' })).toEqual({ type: 'json_object' });
  });

  it('knows the strict subset', () => {
    expect(fitsStrictMode(PERSON)).toBe(true);
    expect(fitsStrictMode({ ...PERSON, properties: { ...PERSON.properties, name: { type: 'string', minLength: 1 } } })).toBe(false);
    expect(fitsStrictMode({ type: 'array', items: { type: 'string' } })).toBe(false);
    expect(fitsStrictMode({ ...PERSON, additionalProperties: true })).toBe(false);
  });

  it('names the schema from its title when the client gave no name, in the characters OpenAI takes', () => {
    expect(schemaName({ type: 'json_schema', schema: { title: 'Weather report' } })).toBe('Weather_report');
    expect(schemaName({ type: 'json_schema', schema: {}, name: 'x'.repeat(80) })).toHaveLength(64);
  });

  it('makes a JSON-mode conversation say "JSON", as OpenAI requires (Gemini does not)', () => {
    const ir: IrRequest = { messages: [{ role: 'user', parts: [{ type: 'text', text: 'list three fjords' }] }], tools: [], stop: [], stream: false, dropped: [], responseFormat: { type: 'json_object' } };
    expect(irToOpenAiRequest(ir, 'gpt').body.messages).toEqual([{ role: 'system', content: 'Respond with a JSON object.' }, { role: 'user', content: 'list three fjords' }]);
    const first = (system: string) => (irToOpenAiRequest({ ...ir, system }, 'gpt').body.messages as unknown[])[0];
    expect(first('Be brief.')).toEqual({ role: 'system', content: 'Be brief.\n\nRespond with a JSON object.' });
    expect(first('Answer in json.')).toEqual({ role: 'system', content: 'Answer in json.' });
  });

  it('is set on the upstream body', () => {
    const ir: IrRequest = { messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], tools: [], stop: [], stream: false, dropped: [], responseFormat: { type: 'json_object' } };
    expect(irToOpenAiRequest(ir, 'gpt').body.response_format).toEqual({ type: 'json_object' });
  });
});
