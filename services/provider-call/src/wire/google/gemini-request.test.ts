import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/chat-ir.js';
import { irToGeminiRequest } from './gemini-request.js';
import { hasParameters, toGeminiSchema } from './gemini-schema.js';

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
      { role: 'model', parts: [{ functionCall: { name: 'weather', args: { city: 'Oslo' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { content: 'sunny' } } }, { text: 'And?' }] },
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
    expect(dropped).toEqual(['image_url (remote URL)']);
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
  });
});
