import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/chat-ir.js';
import { geminiPartsToIr } from './gemini-parts.js';
import { irToGeminiRequest } from './gemini-request.js';

// What Gemini (and Cloud Code, which wraps the same request) has no place for: system turns after the
// first, an end-user id; and how a tool's images travel: inside the functionResponse for Gemini 3,
// right after it for older models.

const text = (t: string) => ({ type: 'text' as const, text: t });
const base: IrRequest = { messages: [], tools: [], stop: [], stream: false, dropped: [] };

describe('Gemini system messages later in the conversation', () => {
  it('stay in place as user text marked as a system instruction, merged with the turns around them, and are reported', () => {
    const { request, dropped } = irToGeminiRequest({
      ...base,
      system: 'lead',
      user: { id: 'u', field: 'metadata.user_id' },
      messages: [
        { role: 'user', parts: [text('q1')] },
        { role: 'system', parts: [text('agents: Explore, Plan')] },
        { role: 'assistant', parts: [text('a1')] },
        { role: 'system', parts: [text('be brief')] },
        { role: 'user', parts: [text('q2')] },
      ],
    });
    expect(request.systemInstruction).toEqual({ parts: [{ text: 'lead' }] });
    expect(request.contents).toEqual([
      { role: 'user', parts: [{ text: 'q1' }, { text: '<system>\nagents: Explore, Plan\n</system>' }] },
      { role: 'model', parts: [{ text: 'a1' }] },
      { role: 'user', parts: [{ text: '<system>\nbe brief\n</system>' }, { text: 'q2' }] },
    ]);
    expect(dropped.sort()).toEqual(['metadata.user_id', 'system_message:user_turn']);
  });
});

describe('Gemini tool results with images', () => {
  const ir: IrRequest = {
    ...base,
    messages: [
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'Read', arguments: '{"file_path":"a.png"}' }] },
      {
        role: 'user',
        parts: [
          {
            type: 'tool_result',
            toolCallId: 'c1',
            content: 'a.png',
            images: [
              { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' },
              { kind: 'url', url: 'https://x.test/b.png' },
            ],
            isError: false,
          },
        ],
      },
    ],
  };

  it('follow the functionResponse as inlineData parts for models before Gemini 3', () => {
    const { request, dropped } = irToGeminiRequest(ir, 'gemini-2.5-pro');
    expect(request.contents[1]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { id: 'c1', name: 'Read', response: { output: 'a.png' } } },
        { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
      ],
    });
    expect(dropped).toEqual(['image_url:remote']);
  });

  it('go inside the functionResponse for Gemini 3, and are read back from there', () => {
    const { request, dropped } = irToGeminiRequest(ir, 'gemini-3-pro-preview');
    const parts = request.contents[1]?.parts ?? [];
    expect(parts).toEqual([
      { functionResponse: { id: 'c1', name: 'Read', response: { output: 'a.png' }, parts: [{ inlineData: { mimeType: 'image/png', data: 'iVBOR' } }] } },
    ]);
    expect(dropped).toEqual(['image_url:remote']);
    expect(geminiPartsToIr(parts, { newToolCallId: () => 'x' })).toEqual([
      { type: 'tool_result', toolCallId: 'c1', name: 'Read', content: 'a.png', images: [{ kind: 'base64', mediaType: 'image/png', data: 'iVBOR' }], isError: false },
    ]);
  });
});
