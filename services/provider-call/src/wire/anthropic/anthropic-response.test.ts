import { describe, expect, it } from 'vitest';
import { anthropicErrorBody, anthropicTypeStatus, decodeAnthropicError } from './anthropic-errors.js';
import { irToAnthropicResponse } from './anthropic-response.js';

describe('irToAnthropicResponse', () => {
  it('writes a message with text and tool_use blocks, stop reason and usage with the cached part apart', () => {
    const body = irToAnthropicResponse(
      {
        model: 'gemini-2.5-pro',
        parts: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{"q":"x"}' },
        ],
        stopReason: 'tool_use',
        usage: { inputTokens: 100, outputTokens: 7, cachedInputTokens: 60 },
      },
      { requestId: 'req1', model: 'upstream' },
    );
    expect(body).toEqual({
      id: 'msg_req1',
      type: 'message',
      role: 'assistant',
      model: 'gemini-2.5-pro',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'call_1', name: 'f', input: { q: 'x' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 40, output_tokens: 7, cache_read_input_tokens: 60, cache_creation_input_tokens: 0 },
    });
  });

  it('maps max_tokens and content filtering', () => {
    const of = (stopReason: 'max_tokens' | 'content_filter') =>
      irToAnthropicResponse({ parts: [], stopReason, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } }, { requestId: 'r', model: 'm' })
        .stop_reason;
    expect(of('max_tokens')).toBe('max_tokens');
    expect(of('content_filter')).toBe('refusal');
  });
});

describe('anthropic errors', () => {
  it('uses the Anthropic error types per status', () => {
    expect(JSON.parse(anthropicErrorBody({ status: 429, message: 'slow down' }))).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'slow down' },
    });
    expect(JSON.parse(anthropicErrorBody({ status: 529, message: 'busy' })).error.type).toBe('overloaded_error');
  });

  it('reads Anthropic error bodies and the status of an error type', () => {
    expect(decodeAnthropicError(529, JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }))).toEqual({ status: 529, message: 'Overloaded' });
    expect(decodeAnthropicError(500, '').message).toBe('upstream answered with status 500 and an error body in no known error format');
    expect(anthropicTypeStatus('rate_limit_error')).toBe(429);
    expect(anthropicTypeStatus('something_new')).toBeUndefined();
  });
});

describe('irToAnthropicResponse reasoning', () => {
  it('writes thinking and redacted thinking blocks in their place', () => {
    const body = irToAnthropicResponse(
      {
        parts: [
          { type: 'reasoning', text: 'why', signature: 'S' },
          { type: 'redacted_reasoning', data: 'R' },
          { type: 'reasoning', text: 'unsigned' },
          { type: 'text', text: 'because' },
        ],
        stopReason: 'stop_sequence',
        stopSequence: 'END',
        usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
      },
      { requestId: 'r', model: 'm' },
    );
    expect(body.content).toEqual([
      { type: 'thinking', thinking: 'why', signature: 'S' },
      { type: 'redacted_thinking', data: 'R' },
      { type: 'thinking', thinking: 'unsigned', signature: '' },
      { type: 'text', text: 'because' },
    ]);
    expect(body.stop_sequence).toBe('END');
  });
});
