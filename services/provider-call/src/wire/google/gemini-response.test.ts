import { describe, expect, it } from 'vitest';
import { geminiResponseToIr, geminiStopReason, geminiUsageToIr } from './gemini-response.js';

const ids = () => {
  let n = 0;
  return () => `call_${++n}`;
};

describe('geminiResponseToIr', () => {
  it('reads thoughts, text, function calls, finish reason, usage and model', () => {
    const ir = geminiResponseToIr(
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [{ text: 'thinking…', thought: true }, { text: 'Sure.' }, { functionCall: { name: 'weather', args: { city: 'Oslo' } } }],
            },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 8, thoughtsTokenCount: 4, totalTokenCount: 42, cachedContentTokenCount: 10 },
        modelVersion: 'gemini-2.5-pro',
      },
      ids(),
    );
    expect(ir).toEqual({
      model: 'gemini-2.5-pro',
      parts: [
        { type: 'reasoning', text: 'thinking…' },
        { type: 'text', text: 'Sure.' },
        { type: 'tool_call', id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 30, outputTokens: 12, cachedInputTokens: 10, reasoningTokens: 4 },
    });
  });

  it('maps finish reasons', () => {
    expect(geminiStopReason('MAX_TOKENS', false)).toBe('max_tokens');
    expect(geminiStopReason('SAFETY', false)).toBe('content_filter');
    expect(geminiStopReason('STOP', false)).toBe('end_turn');
    expect(geminiStopReason('OTHER', true)).toBe('tool_use');
  });

  it('treats a blocked prompt as content_filter and a shapeless answer as unreadable', () => {
    expect(geminiResponseToIr({ promptFeedback: { blockReason: 'SAFETY' } }, ids()).stopReason).toBe('content_filter');
    expect(() => geminiResponseToIr({ hello: 1 }, ids())).toThrowError(/candidates/);
  });

  it('counts usage once: cached tokens are part of the prompt count', () => {
    expect(geminiUsageToIr({ promptTokenCount: 5, candidatesTokenCount: 2, cachedContentTokenCount: 3 })).toEqual({
      inputTokens: 5,
      outputTokens: 2,
      cachedInputTokens: 3,
    });
  });
});
