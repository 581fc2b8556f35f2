import { describe, expect, it } from 'vitest';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { AnthropicStreamDecoder } from './anthropic-stream-decoder.js';

const ev = (type: string, payload: object = {}) => ({ event: type, data: JSON.stringify({ type, ...payload }) });

describe('AnthropicStreamDecoder', () => {
  it('reads thinking with its signature, text, tool arguments, stop and usage from both halves', () => {
    const decoder = new AnthropicStreamDecoder();
    const out: IrStreamEvent[] = [
      ev('message_start', { message: { model: 'claude-x', usage: { input_tokens: 5, cache_read_input_tokens: 20, output_tokens: 1 } } }),
      ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'SIG' } }),
      ev('content_block_stop', { index: 0 }),
      ev('ping'),
      ev('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'text_delta', text: 'Hi' } }),
      ev('content_block_stop', { index: 1 }),
      ev('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } }),
      ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"a":' } }),
      ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '1}' } }),
      ev('content_block_stop', { index: 2 }),
      ev('content_block_start', { index: 3, content_block: { type: 'tool_use', id: 'toolu_2', name: 'g', input: {} } }),
      ev('content_block_stop', { index: 3 }),
      ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 30 } }),
      ev('message_stop'),
    ].flatMap((e) => decoder.push(e));
    expect(out).toEqual([
      { type: 'model', model: 'claude-x' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 1, cachedInputTokens: 20 } },
      { type: 'reasoning', text: 'Hmm.' },
      { type: 'reasoning_end', signature: 'SIG' },
      { type: 'text', text: 'Hi' },
      { type: 'tool_call_start', index: 0, id: 'toolu_1', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a":' },
      { type: 'tool_call_delta', index: 0, arguments: '1}' },
      { type: 'tool_call_start', index: 1, id: 'toolu_2', name: 'g' },
      { type: 'tool_call_delta', index: 1, arguments: '{}' },
      { type: 'stop', reason: 'tool_use' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 30, cachedInputTokens: 20 } },
    ]);
    expect(decoder.end()).toEqual([]);
  });

  it('passes redacted thinking on whole, and ends a stream without message_stop as truncated', () => {
    const decoder = new AnthropicStreamDecoder();
    expect(decoder.push(ev('content_block_start', { index: 0, content_block: { type: 'redacted_thinking', data: 'ENC' } }))).toEqual([
      { type: 'reasoning_redacted', data: 'ENC' },
    ]);
    expect(() => decoder.end()).toThrowError(/ended before its final event/);
  });

  it('turns an error event into a broken stream with the status of its type', () => {
    expect(() => new AnthropicStreamDecoder().push(ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }))).toThrowError(
      expect.objectContaining({ message: 'Overloaded', details: { upstreamStatus: '529' } }),
    );
    expect(() => new AnthropicStreamDecoder().push({ event: 'message', data: 'nope' })).toThrowError(/unreadable/);
  });
});
