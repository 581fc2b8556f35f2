import { describe, expect, it } from 'vitest';
import { irToGeminiResponse } from './gemini-response-encoder.js';
import { geminiResponseToIr, geminiUsageToIr, irUsageToGemini } from './gemini-response.js';

describe('irToGeminiResponse', () => {
  it('writes a GenerateContentResponse with thoughts, signatures, calls, finish reason and usage', () => {
    const body = irToGeminiResponse(
      {
        model: 'claude-sonnet-4',
        parts: [
          { type: 'reasoning', text: 'why', signature: 'S1' },
          { type: 'text', text: 'Calling.' },
          { type: 'reasoning', text: '', signature: 'S2' },
          { type: 'tool_call', id: 'toolu_1', name: 'weather', arguments: '{"city":"Oslo"}' },
        ],
        stopReason: 'tool_use',
        usage: { inputTokens: 100, outputTokens: 30, cachedInputTokens: 60, reasoningTokens: 10 },
      },
      { requestId: 'req1', model: 'm' },
    );
    expect(body).toEqual({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'why', thought: true, thoughtSignature: 'S1' },
              { text: 'Calling.' },
              { functionCall: { id: 'toolu_1', name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'S2' },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, thoughtsTokenCount: 10, cachedContentTokenCount: 60, totalTokenCount: 130 },
      modelVersion: 'claude-sonnet-4',
      responseId: 'req1',
    });
  });

  it('maps stop reasons and reads back what it wrote', () => {
    const usage = { inputTokens: 5, outputTokens: 2, cachedInputTokens: 0 };
    const of = (stopReason: 'max_tokens' | 'content_filter') => irToGeminiResponse({ parts: [], stopReason, usage }, { requestId: 'r', model: 'm' });
    expect((of('max_tokens').candidates as Array<{ finishReason: string }>)[0]?.finishReason).toBe('MAX_TOKENS');
    expect((of('content_filter').candidates as Array<{ finishReason: string }>)[0]?.finishReason).toBe('SAFETY');
    const ir = { parts: [{ type: 'text' as const, text: 'hi' }], stopReason: 'end_turn' as const, usage, model: 'g' };
    expect(geminiResponseToIr(irToGeminiResponse(ir, { requestId: 'r', model: 'm' }), () => 'x')).toEqual(ir);
  });

  it('counts usage once in both directions', () => {
    const usage = { inputTokens: 50, outputTokens: 20, cachedInputTokens: 30, reasoningTokens: 5 };
    expect(irUsageToGemini(usage)).toEqual({ promptTokenCount: 50, candidatesTokenCount: 15, thoughtsTokenCount: 5, cachedContentTokenCount: 30, totalTokenCount: 70 });
    expect(geminiUsageToIr(irUsageToGemini(usage))).toEqual(usage);
  });
});
