import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { irToOpenAiResponse, irUsageToOpenAi, openAiResponseToIr, openAiUsageToIr } from './openai-response.js';

describe('openAiResponseToIr', () => {
  it('reads text, tool calls, finish reason, usage and model', () => {
    const ir = openAiResponseToIr({
      id: 'chatcmpl-1',
      model: 'gpt-4o-2024',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13, prompt_tokens_details: { cached_tokens: 4 } },
    });
    expect(ir).toEqual({
      model: 'gpt-4o-2024',
      parts: [
        { type: 'text', text: 'Hi' },
        { type: 'tool_call', id: 'c1', name: 'f', arguments: '{}' },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 10, outputTokens: 3, cachedInputTokens: 4 },
    });
  });

  it('maps length to max_tokens and unknown reasons to end_turn', () => {
    const body = (finish: string) => ({ choices: [{ message: { content: 'x' }, finish_reason: finish }] });
    expect(openAiResponseToIr(body('length')).stopReason).toBe('max_tokens');
    expect(openAiResponseToIr(body('content_filter')).stopReason).toBe('content_filter');
    expect(openAiResponseToIr(body('weird')).stopReason).toBe('end_turn');
  });

  it('rejects an answer without a message as UPSTREAM_ERROR', () => {
    expect(() => openAiResponseToIr({ object: 'list' })).toThrowError(AppError);
    expect(() => openAiResponseToIr('nope')).toThrowError(/choices/);
  });
});

describe('irToOpenAiResponse', () => {
  it('writes a chat.completion with tool_calls and null content', () => {
    const body = irToOpenAiResponse(
      {
        parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: '{"a":1}' }],
        stopReason: 'tool_use',
        usage: { inputTokens: 5, outputTokens: 2, cachedInputTokens: 1 },
      },
      { requestId: 'r1', model: 'gemini-2.5-pro' },
    );
    expect(body).toMatchObject({
      id: 'chatcmpl-r1',
      object: 'chat.completion',
      model: 'gemini-2.5-pro',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, prompt_tokens_details: { cached_tokens: 1 } },
    });
  });

  it('round-trips usage', () => {
    const usage = { inputTokens: 9, outputTokens: 4, cachedInputTokens: 2 };
    expect(openAiUsageToIr(irUsageToOpenAi(usage))).toEqual(usage);
    expect(openAiUsageToIr(undefined)).toEqual({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 });
  });
});
