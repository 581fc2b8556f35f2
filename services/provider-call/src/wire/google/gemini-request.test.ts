import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/chat-ir.js';
import { geminiThinkingConfig, irToGeminiRequest, requiresCallSignatures } from './gemini-request.js';
import { fromGeminiSchema, hasParameters, toGeminiSchema } from './gemini-schema.js';

const base: IrRequest = { messages: [], tools: [], stop: [], stream: false, dropped: [] };

describe('irToGeminiRequest', () => {
  it('maps roles (assistant → model), the system prompt and generation config', () => {
    const { request, dropped } = irToGeminiRequest({
      ...base,
      system: 'Be brief.',
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'Hello' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Bye' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'QQ' } }] },
      ],
      temperature: 0.3,
      topP: 0.9,
      topK: 20,
      maxTokens: 64,
      stop: ['END'],
    });
    expect(dropped).toEqual([]);
    expect(request).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello' }] },
        { role: 'user', parts: [{ text: 'Bye' }, { inlineData: { mimeType: 'image/png', data: 'QQ' } }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { temperature: 0.3, topP: 0.9, topK: 20, maxOutputTokens: 64, stopSequences: ['END'] },
    });
  });

  it('sends tool calls as functionCall and pairs results with the call name by id', () => {
    const { request } = irToGeminiRequest({
      ...base,
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Weather?' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_9', name: 'weather', arguments: '{"city":"Oslo"}' }] },
        { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'call_9', content: 'sunny', isError: false }] },
        { role: 'user', parts: [{ type: 'text', text: 'And?' }] },
      ],
      tools: [
        { name: 'weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
        { name: 'now', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: { type: 'tool', name: 'weather' },
    });
    expect(request.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather?' }] },
      { role: 'model', parts: [{ functionCall: { id: 'call_9', name: 'weather', args: { city: 'Oslo' } } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'call_9', name: 'weather', response: { output: 'sunny' } } }, { text: 'And?' }] },
    ]);
    expect(request.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'weather', description: 'Weather now', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } },
          { name: 'now' },
        ],
      },
    ]);
    expect(request.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } });
  });

  it('reports remote image URLs, which Gemini cannot fetch, as dropped', () => {
    const { request, dropped } = irToGeminiRequest({
      ...base,
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'see' }, { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] }],
    });
    expect(request.contents).toEqual([{ role: 'user', parts: [{ text: 'see' }] }]);
    expect(dropped).toEqual(['image_url:remote']);
  });
});

describe('toGeminiSchema', () => {
  it('keeps the OpenAPI subset and rewrites what Gemini rejects', () => {
    expect(
      toGeminiSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: ['string', 'null'], description: 'n' },
          kind: { const: 'a' },
          tags: { type: 'array', items: { type: 'string', examples: ['x'] } },
          either: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        },
        required: ['name'],
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: {
        name: { type: 'STRING', nullable: true, description: 'n' },
        kind: { enum: ['a'] },
        tags: { type: 'ARRAY', items: { type: 'STRING' } },
        either: { anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] },
      },
      required: ['name'],
    });
  });

  it('says whether a schema can be sent as parameters', () => {
    expect(hasParameters({ type: 'OBJECT', properties: {} })).toBe(false);
    expect(hasParameters({ type: 'OBJECT', properties: { a: { type: 'STRING' } } })).toBe(true);
    // A client's `type` may be any JSON, even an object with its own toString key (String() of it throws).
    expect(hasParameters(toGeminiSchema({ type: { toString: 1 }, properties: {} }))).toBe(true);
    expect(hasParameters(toGeminiSchema({ type: [{ toString: 1 }, 'null'] }))).toBe(true);
  });
});

describe('Gemini thinking and signatures', () => {
  it('maps thinking to thinkingConfig', () => {
    expect(geminiThinkingConfig({ enabled: false })).toEqual({ thinkingBudget: 0 });
    expect(geminiThinkingConfig({ enabled: true, budgetTokens: 3000 })).toEqual({ includeThoughts: true, thinkingBudget: 3000 });
    expect(geminiThinkingConfig({ enabled: true, effort: 'low' })).toEqual({ includeThoughts: true, thinkingBudget: 2048 });
    expect(geminiThinkingConfig({ enabled: true })).toEqual({ includeThoughts: true });
  });

  it('gives Gemini 3 the documented skip value for a call nobody signed, and keeps real signatures', () => {
    const ir: IrRequest = {
      ...base,
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'go' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'a', name: 'f', arguments: '{}' }, { type: 'tool_call', id: 'b', name: 'f', arguments: '{}' }] },
        { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'a', content: '1', isError: false }] },
        { role: 'assistant', parts: [{ type: 'reasoning', text: '', signature: 'REAL' }, { type: 'tool_call', id: 'c', name: 'f', arguments: '{}' }] },
      ],
    };
    const calls = (model: string) => irToGeminiRequest(ir, model).request.contents.filter((c) => c.role === 'model').map((c) => c.parts.map((p) => p.thoughtSignature));
    expect(calls('gemini-3-pro-preview')).toEqual([['skip_thought_signature_validator', undefined], ['REAL']]);
    expect(calls('gemini-2.5-pro')).toEqual([[undefined, undefined], ['REAL']]);
    expect(requiresCallSignatures('models/gemini-3-flash')).toBe(true);
    expect(requiresCallSignatures('claude-sonnet-4-5')).toBe(false);
  });

  it('reports a parallel-call limit it cannot carry', () => {
    const { dropped } = irToGeminiRequest({ ...base, tools: [{ name: 'f', parameters: {} }], parallelToolCalls: false });
    expect(dropped).toEqual(['parallel_tool_calls']);
  });
});

describe('fromGeminiSchema', () => {
  it('turns a Gemini schema into JSON Schema and back', () => {
    const gemini = { type: 'OBJECT', properties: { name: { type: 'STRING', nullable: true }, tags: { type: 'ARRAY', items: { type: 'STRING' } } }, required: ['name'], propertyOrdering: ['name'] };
    const json = fromGeminiSchema(gemini);
    expect(json).toEqual({ type: 'object', properties: { name: { type: ['string', 'null'] }, tags: { type: 'array', items: { type: 'string' } } }, required: ['name'] });
    expect(toGeminiSchema(json)).toEqual({ ...gemini, propertyOrdering: undefined, properties: { name: { type: 'STRING', nullable: true }, tags: { type: 'ARRAY', items: { type: 'STRING' } } } });
  });
});
