import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/chat-ir.js';
import { acceptsMidConversationSystem, anthropicToolId, DEFAULT_MAX_TOKENS, irToAnthropicRequest } from './anthropic-request-encoder.js';

const base: IrRequest = { messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], tools: [], stop: [], stream: false, dropped: [] };

describe('irToAnthropicRequest', () => {
  it('builds a Messages body: system, merged turns, tool results first, images, tools and choice', () => {
    const { body, dropped } = irToAnthropicRequest(
      {
        ...base,
        system: 'Be brief.',
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'Weather in Oslo?' }] },
          { role: 'user', parts: [{ type: 'image', source: { kind: 'url', url: 'https://x/map.png' } }] },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'Use the tool.', signature: 'sig-1' },
              { type: 'tool_call', id: 'call:1', name: 'weather', arguments: '{"city":"Oslo"}' },
            ],
          },
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'here' },
              { type: 'tool_result', toolCallId: 'call:1', content: 'sunny', isError: false },
            ],
          },
        ],
        tools: [{ name: 'weather', description: 'Weather now', parameters: { properties: { city: { type: 'string' } } } }],
        toolChoice: { type: 'required' },
        parallelToolCalls: false,
        temperature: 0.3,
        topK: 5,
        stop: ['END'],
        stream: true,
      },
      'claude-sonnet-4',
    );
    expect(dropped).toEqual([]);
    expect(body).toEqual({
      model: 'claude-sonnet-4',
      max_tokens: DEFAULT_MAX_TOKENS,
      system: 'Be brief.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Oslo?' },
            { type: 'image', source: { type: 'url', url: 'https://x/map.png' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Use the tool.', signature: 'sig-1' },
            { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' },
            { type: 'text', text: 'here' },
          ],
        },
      ],
      tools: [{ name: 'weather', description: 'Weather now', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      temperature: 0.3,
      top_k: 5,
      stop_sequences: ['END'],
      stream: true,
    });
  });

  it('turns thinking on with a budget below max_tokens and leaves out what thinking forbids', () => {
    const { body, dropped } = irToAnthropicRequest({ ...base, thinking: { enabled: true, effort: 'medium' }, temperature: 0.2, topP: 0.5, topK: 3 }, 'c');
    expect(body).toMatchObject({ max_tokens: 8192 + DEFAULT_MAX_TOKENS, thinking: { type: 'enabled', budget_tokens: 8192 } });
    expect(body).not.toHaveProperty('temperature');
    expect(dropped.sort()).toEqual(['temperature:with_thinking', 'top_k:with_thinking', 'top_p:with_thinking']);
    expect(irToAnthropicRequest({ ...base, maxTokens: 3000, thinking: { enabled: true, budgetTokens: 8000 } }, 'c').body.thinking).toEqual({ type: 'enabled', budget_tokens: 2999 });
    expect(irToAnthropicRequest({ ...base, maxTokens: 500, thinking: { enabled: true } }, 'c').dropped).toEqual(['thinking:budget_below_minimum']);
    expect(irToAnthropicRequest({ ...base, thinking: { enabled: false } }, 'c').body).not.toHaveProperty('thinking');
  });

  it('clamps a temperature above 1 and drops reasoning Anthropic did not sign', () => {
    const { body, dropped } = irToAnthropicRequest(
      {
        ...base,
        temperature: 1.5,
        messages: [
          ...base.messages,
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'unsigned' },
              { type: 'reasoning', text: '', signature: 'gemini' },
              { type: 'redacted_reasoning', data: 'R' },
              { type: 'text', text: 'ok' },
            ],
          },
        ],
      },
      'c',
    );
    expect(body.temperature).toBe(1);
    expect((body.messages as Array<{ content: unknown }>)[1]?.content).toEqual([
      { type: 'redacted_thinking', data: 'R' },
      { type: 'text', text: 'ok' },
    ]);
    expect(dropped.sort()).toEqual(['temperature:clamped', 'thinking.signature', 'thinking:unsigned']);
  });

  it('maps tool ids to the characters Anthropic allows', () => {
    expect(anthropicToolId('toolu_01-AB')).toBe('toolu_01-AB');
    expect(anthropicToolId('call 1/x')).toBe('call_1_x');
    expect(anthropicToolId('')).toBe('toolu_empty');
  });

  describe('system messages later in the conversation', () => {
    const text = (t: string) => ({ type: 'text' as const, text: t });
    // A system message a turn cannot carry stays in place as user text, marked as a system instruction.
    const sys = (t: string) => `<system>\n${t}\n</system>`;
    const conversation: IrRequest = {
      ...base,
      system: 'lead',
      messages: [
        { role: 'user', parts: [text('q1')] },
        { role: 'system', parts: [text('s1')] },
        { role: 'system', parts: [text('s2')] },
        { role: 'assistant', parts: [text('a1')] },
        { role: 'system', parts: [text('s3')] },
        { role: 'user', parts: [text('q2')] },
        { role: 'system', parts: [text('s4')] },
      ],
    };

    it('stay in place on a model that takes them, where Anthropic allows one; elsewhere they become user text', () => {
      const { body, dropped } = irToAnthropicRequest(conversation, 'claude-opus-4-8');
      expect(body.system).toBe('lead');
      expect(body.messages).toEqual([
        { role: 'user', content: [text('q1')] },
        { role: 'system', content: [text('s1'), text('s2')] },
        { role: 'assistant', content: [text('a1')] },
        // after an assistant turn a system message is not allowed: it joins the next user turn
        { role: 'user', content: [text(sys('s3')), text('q2')] },
        { role: 'system', content: [text('s4')] },
      ]);
      expect(dropped).toEqual(['system_message:user_turn']);
    });

    it('become user text, in order, on models without them', () => {
      const { body, dropped } = irToAnthropicRequest(conversation, 'claude-sonnet-4-5');
      expect(body.messages).toEqual([
        { role: 'user', content: [text('q1'), text(sys('s1')), text(sys('s2'))] },
        { role: 'assistant', content: [text('a1')] },
        { role: 'user', content: [text(sys('s3')), text('q2'), text(sys('s4'))] },
      ]);
      expect(dropped).toEqual(['system_message:user_turn']);
    });

    it('knows which models take them', () => {
      expect(acceptsMidConversationSystem('claude-opus-4-8')).toBe(true);
      expect(acceptsMidConversationSystem('anthropic/claude-opus-4-8-20260528')).toBe(true);
      expect(acceptsMidConversationSystem('conf-anthropic-claude-opus-4-8-system')).toBe(true);
      expect(acceptsMidConversationSystem('xclaude-opus-4-8')).toBe(false);
      expect(acceptsMidConversationSystem('claude-opus-4-7')).toBe(false);
      expect(acceptsMidConversationSystem('claude-sonnet-4-5')).toBe(false);
    });
  });

  it('sends the end-user id as metadata.user_id and the images of a tool result inside it', () => {
    const { body, dropped } = irToAnthropicRequest(
      {
        ...base,
        user: { id: 'user-7', field: 'user' },
        messages: [
          { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'screenshot', arguments: '{}' }] },
          {
            role: 'user',
            parts: [
              {
                type: 'tool_result',
                toolCallId: 'c1',
                content: 'the screen',
                images: [
                  { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' },
                  { kind: 'url', url: 'https://x.test/a.png' },
                ],
                isError: false,
              },
              { type: 'tool_result', toolCallId: 'c2', content: '', images: [{ kind: 'base64', mediaType: 'image/gif', data: 'R0lG' }], isError: true },
            ],
          },
        ],
      },
      'claude-sonnet-4-5',
    );
    expect(body.metadata).toEqual({ user_id: 'user-7' });
    expect((body.messages as Array<{ content: unknown[] }>)[1]?.content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'c1',
        content: [
          { type: 'text', text: 'the screen' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
          { type: 'image', source: { type: 'url', url: 'https://x.test/a.png' } },
        ],
      },
      { type: 'tool_result', tool_use_id: 'c2', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lG' } }], is_error: true },
    ]);
    expect(dropped).toEqual([]);
  });
});
