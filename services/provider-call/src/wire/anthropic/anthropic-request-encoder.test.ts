import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/chat-ir.js';
import { anthropicToolId, DEFAULT_MAX_TOKENS, irToAnthropicRequest } from './anthropic-request-encoder.js';

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
});
