import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { anthropicResponseToIr } from './anthropic-response-decoder.js';
import { anthropicUsageToIr, irUsageToAnthropic } from './anthropic-usage.js';

describe('anthropicResponseToIr', () => {
  it('reads thinking with its signature, redacted thinking, text, tool use, stop sequence, usage and model', () => {
    const ir = anthropicResponseToIr({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-20250514',
      content: [
        { type: 'thinking', thinking: 'Let me see.', signature: 'EqQB' },
        { type: 'redacted_thinking', data: 'ENC' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo' } },
        { type: 'server_tool_use', id: 'srv', name: 'web_search', input: {} },
      ],
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
      usage: { input_tokens: 10, cache_read_input_tokens: 90, cache_creation_input_tokens: 5, output_tokens: 7 },
    });
    expect(ir).toEqual({
      model: 'claude-sonnet-4-20250514',
      parts: [
        { type: 'reasoning', text: 'Let me see.', signature: 'EqQB' },
        { type: 'redacted_reasoning', data: 'ENC' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_call', id: 'toolu_1', name: 'weather', arguments: '{"city":"Oslo"}' },
      ],
      stopReason: 'stop_sequence',
      stopSequence: 'END',
      usage: { inputTokens: 105, outputTokens: 7, cachedInputTokens: 90, cacheWriteTokens: 5 },
    });
  });

  it('maps stop reasons and refuses an answer without content', () => {
    const stop = (reason: string) => anthropicResponseToIr({ content: [], stop_reason: reason }).stopReason;
    expect(stop('max_tokens')).toBe('max_tokens');
    expect(stop('tool_use')).toBe('tool_use');
    expect(stop('refusal')).toBe('content_filter');
    expect(stop('pause_turn')).toBe('end_turn');
    expect(() => anthropicResponseToIr({ type: 'error' })).toThrowError(AppError);
  });
});

describe('Anthropic usage', () => {
  it('counts the prompt once: cache reads and writes are parts of the IR input, cache reads its cached part', () => {
    expect(anthropicUsageToIr({ input_tokens: 3, cache_read_input_tokens: 100, output_tokens: 2 })).toEqual({ inputTokens: 103, outputTokens: 2, cachedInputTokens: 100 });
    const usage = { inputTokens: 103, outputTokens: 2, cachedInputTokens: 100 };
    expect(irUsageToAnthropic(usage)).toEqual({ input_tokens: 3, output_tokens: 2, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 });
    expect(anthropicUsageToIr(irUsageToAnthropic(usage))).toEqual(usage);
  });

  it('keeps cache writes apart (a part of the prompt, priced as writes), and gives them back to Anthropic clients', () => {
    const usage = anthropicUsageToIr({ input_tokens: 3, cache_read_input_tokens: 100, cache_creation_input_tokens: 40, output_tokens: 2 });
    expect(usage).toEqual({ inputTokens: 143, outputTokens: 2, cachedInputTokens: 100, cacheWriteTokens: 40 });
    expect(irUsageToAnthropic(usage)).toEqual({ input_tokens: 3, output_tokens: 2, cache_read_input_tokens: 100, cache_creation_input_tokens: 40 });
  });
});
