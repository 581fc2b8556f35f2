import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../ir/chat-ir.js';
import { anthropicRequestToIr } from './anthropic/anthropic-request.js';
import { irToAnthropicRequest } from './anthropic/anthropic-request-encoder.js';
import { irToGeminiRequest } from './google/gemini-request.js';
import { geminiRequestToIr } from './google/gemini-request-decoder.js';
import { irToOpenAiRequest } from './openai/openai-request-encoder.js';
import { openAiRequestToIr } from './openai/openai-request.js';

// Structured output as the clients people run send it, carried to the other two provider formats.
// The bodies are what `generateObject` of the AI SDK 6 (@ai-sdk/openai 3.0 .chat(), @ai-sdk/anthropic
// 3.0, @ai-sdk/google 3.0) sends for
//   z.object({ city: z.string().describe('City name'), days: z.number().int(), unit: z.enum([...]),
//              summary: z.string().nullable(), nick: z.string().optional(), hours: z.array(z.object(...)) })
// (LangChain's ChatOpenAI / ChatAnthropic withStructuredOutput({method: 'jsonSchema'}) send the same shapes).

const SAFE = { minimum: -9007199254740991, maximum: 9007199254740991 };
const hours = { type: 'array', items: { type: 'object', properties: { hour: { type: 'integer', ...SAFE }, sky: { type: 'string' } }, required: ['hour', 'sky'], additionalProperties: false } };
const REQUIRED = ['city', 'days', 'unit', 'summary', 'hours'];
const MESSAGES = [{ role: 'user', content: 'hi' }];

const AI_SDK_OPENAI = {
  model: 'gpt-4o',
  response_format: {
    type: 'json_schema',
    json_schema: {
      schema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {
          city: { type: 'string', description: 'City name' },
          days: { type: 'integer', ...SAFE },
          unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
          summary: { type: ['string', 'null'] },
          nick: { type: 'string' },
          hours,
        },
        required: REQUIRED,
        additionalProperties: false,
      },
      strict: true,
      name: 'response',
    },
  },
  messages: MESSAGES,
};

const AI_SDK_ANTHROPIC = {
  model: 'claude-sonnet-4-5',
  max_tokens: 64000,
  output_config: {
    format: {
      type: 'json_schema',
      schema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {
          city: { description: 'City name', type: 'string' },
          days: { type: 'integer', description: 'minimum: -9007199254740991; maximum: 9007199254740991.' },
          unit: { enum: ['celsius', 'fahrenheit'], type: 'string' },
          summary: { type: ['string', 'null'] },
          nick: { type: 'string' },
          hours: { type: 'array', items: { type: 'object', properties: { hour: { type: 'integer' }, sky: { type: 'string' } }, additionalProperties: false, required: ['hour', 'sky'] } },
        },
        additionalProperties: false,
        required: REQUIRED,
      },
    },
  },
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
};

const AI_SDK_GOOGLE = {
  generationConfig: {
    responseMimeType: 'application/json',
    responseSchema: {
      required: REQUIRED,
      type: 'object',
      properties: {
        city: { description: 'City name', type: 'string' },
        days: { type: 'integer' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        summary: { type: 'string', nullable: true },
        nick: { type: 'string' },
        hours: { type: 'array', items: { required: ['hour', 'sky'], type: 'object', properties: { hour: { type: 'integer' }, sky: { type: 'string' } } } },
      },
    },
  },
  contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
};

const toOpenAi = (ir: IrRequest) => irToOpenAiRequest(ir, 'gpt');
const toAnthropic = (ir: IrRequest) => irToAnthropicRequest(ir, 'claude');
const toGemini = (ir: IrRequest) => {
  const { request, dropped } = irToGeminiRequest(ir, 'gemini-2.5-flash');
  return { body: request as unknown as Record<string, unknown>, dropped };
};

describe('AI SDK generateObject, carried across', () => {
  it('@ai-sdk/openai → Anthropic and Gemini: the schema arrives closed, without what constrains nothing, nothing dropped', () => {
    const { ir } = openAiRequestToIr(AI_SDK_OPENAI, false);
    expect(ir.dropped).toEqual([]);
    const anthropic = toAnthropic(ir);
    expect(anthropic.dropped).toEqual([]);
    const schema = (anthropic.body.output_config as { format: { schema: Record<string, unknown> } }).format.schema;
    expect(schema).toMatchObject({ title: 'response', additionalProperties: false, required: REQUIRED, properties: { days: { type: 'integer' } } });
    expect(schema).not.toHaveProperty('$schema');
    expect(JSON.stringify(schema)).not.toContain('9007199254740991');
    const gemini = toGemini(ir);
    expect(gemini.dropped).toEqual([]);
    expect(gemini.body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: { type: 'object', title: 'response', properties: { days: { type: 'integer', ...SAFE } } } });
  });

  it('@ai-sdk/anthropic → OpenAI (strict, as the schema fits) and Gemini', () => {
    const { ir } = anthropicRequestToIr(AI_SDK_ANTHROPIC, false);
    expect(ir.dropped).toEqual([]);
    const openai = toOpenAi(ir);
    expect(openai.dropped).toEqual([]);
    // `nick` is optional: OpenAI's strict mode would refuse the schema, so it goes best-effort.
    expect(openai.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'response', schema: { required: REQUIRED } } });
    expect((openai.body.response_format as { json_schema: Record<string, unknown> }).json_schema).not.toHaveProperty('strict');
    expect(toGemini(ir).body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: { properties: { unit: { enum: ['celsius', 'fahrenheit'] } } } });
  });

  it('@ai-sdk/google (responseSchema) → OpenAI and Anthropic as JSON Schema', () => {
    const { ir } = geminiRequestToIr(AI_SDK_GOOGLE, false);
    expect(ir.dropped).toEqual([]);
    expect(ir.responseFormat).toMatchObject({ type: 'json_schema', schema: { properties: { summary: { type: ['string', 'null'] } } } });
    const anthropic = toAnthropic(ir);
    expect(anthropic.dropped).toEqual([]);
    expect(anthropic.body.output_config).toMatchObject({
      format: { schema: { additionalProperties: false, properties: { hours: { items: { additionalProperties: false } } } } },
    });
    expect(toOpenAi(ir).body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' } } });
  });
});
