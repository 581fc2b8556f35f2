import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/chat-ir.js';
import { irToOpenAiRequest } from './openai-request-encoder.js';
import { openAiRequestToIr } from './openai-request.js';

// System messages after the first turn, the end-user id and tool results with images, both ways
// between the IR and Chat Completions.

const text = (t: string) => ({ type: 'text' as const, text: t });
const base: IrRequest = { messages: [], tools: [], stop: [], stream: false, dropped: [] };

describe('OpenAI system messages later in the conversation', () => {
  it('reads leading system and developer messages as the system prompt and later ones in place', () => {
    const { ir } = openAiRequestToIr(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'lead' },
          { role: 'developer', content: 'rules' },
          { role: 'user', content: 'q1' },
          { role: 'assistant', content: 'a1' },
          { role: 'system', content: 'from now on, answer in French' },
          { role: 'user', content: 'q2' },
          { role: 'developer', content: [{ type: 'text', text: 'be brief' }] },
        ],
      },
      false,
    );
    expect(ir.system).toBe('lead\n\nrules');
    expect(ir.messages).toEqual([
      { role: 'user', parts: [text('q1')] },
      { role: 'assistant', parts: [text('a1')] },
      { role: 'system', parts: [text('from now on, answer in French')] },
      { role: 'user', parts: [text('q2')] },
      { role: 'system', parts: [text('be brief')] },
    ]);
    expect(ir.dropped).toEqual([]);
  });

  it('writes them back where they were, as system messages', () => {
    const { body, dropped } = irToOpenAiRequest(
      {
        ...base,
        system: 'lead',
        messages: [
          { role: 'user', parts: [text('q1')] },
          { role: 'system', parts: [text('s1'), text('s2')] },
          { role: 'assistant', parts: [text('a1')] },
        ],
      },
      'gpt-4o',
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'lead' },
      { role: 'user', content: 'q1' },
      { role: 'system', content: 's1\ns2' },
      { role: 'assistant', content: 'a1' },
    ]);
    expect(dropped).toEqual([]);
  });
});

describe('OpenAI end-user id', () => {
  it('reads `user` and sends the IR end-user id as `user`', () => {
    const { ir } = openAiRequestToIr({ model: 'gpt-4o', user: 'u-42', messages: [{ role: 'user', content: 'hi' }] }, false);
    expect(ir.user).toEqual({ id: 'u-42', field: 'user' });
    expect(ir.dropped).toEqual([]);
    const { body } = irToOpenAiRequest({ ...ir, user: { id: '{"device_id":"d"}', field: 'metadata.user_id' } }, 'gpt-4o');
    expect(body.user).toBe('{"device_id":"d"}');
  });
});

describe('OpenAI tool results with images', () => {
  it('sends the text as the tool message and the images in the user message after the tool messages (reported)', () => {
    const { body, dropped } = irToOpenAiRequest(
      {
        ...base,
        messages: [
          { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'Read', arguments: '{}' }, { type: 'tool_call', id: 'c2', name: 'Read', arguments: '{}' }] },
          {
            role: 'user',
            parts: [
              { type: 'tool_result', toolCallId: 'c1', content: '', images: [{ kind: 'base64', mediaType: 'image/png', data: 'iVBOR' }], isError: false },
              { type: 'tool_result', toolCallId: 'c2', content: 'plain', isError: false },
              text('what do they show?'),
            ],
          },
        ],
      },
      'gpt-4o',
    );
    expect((body.messages as unknown[]).slice(1)).toEqual([
      { role: 'tool', tool_call_id: 'c1', content: '' },
      { role: 'tool', tool_call_id: 'c2', content: 'plain' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
          { type: 'text', text: 'what do they show?' },
        ],
      },
    ]);
    expect(dropped).toEqual(['tool_result.image:user_message']);
  });
});
