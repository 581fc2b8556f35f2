import { describe, expect, it } from 'vitest';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { SseParser } from '@aigw/formats';
import { AnthropicStreamEncoder } from './anthropic-stream-encoder.js';

function parse(text: string) {
  const parser = new SseParser();
  return [...parser.push(new TextEncoder().encode(text)), ...parser.end()].map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
}

function encode(events: IrStreamEvent[]) {
  const encoder = new AnthropicStreamEncoder({ requestId: 'r1', model: 'm' });
  return parse(encoder.begin() + events.map((e) => encoder.push(e)).join('') + encoder.end());
}

describe('AnthropicStreamEncoder', () => {
  it('frames text as one content block and ends with message_delta and message_stop', () => {
    const out = encode([
      { type: 'model', model: 'gemini-2.5-flash' },
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'stop', reason: 'end_turn' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 2 } },
    ]);
    expect(out.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(out.every((e) => e.data.type === e.event)).toBe(true);
    expect(out[0]?.data.message).toMatchObject({ id: 'msg_r1', role: 'assistant', content: [], usage: { input_tokens: 0, output_tokens: 0 } });
    expect(out[1]?.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(out[3]?.data).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } });
    expect(out[5]?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 10, output_tokens: 3, cache_read_input_tokens: 2, cache_creation_input_tokens: 0 },
    });
  });

  it('opens a tool_use block per call and streams its arguments as input_json_delta', () => {
    const out = encode([
      { type: 'text', text: 'Checking' },
      { type: 'tool_call_start', index: 0, id: 'call_1', name: 'weather' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
      { type: 'tool_call_delta', index: 0, arguments: '"Oslo"}' },
      { type: 'tool_call_start', index: 1, id: 'call_2', name: 'time' },
      { type: 'tool_call_delta', index: 1, arguments: '{}' },
      { type: 'stop', reason: 'tool_use' },
    ]);
    expect(out.map((e) => [e.event, e.data.index])).toEqual([
      ['message_start', undefined],
      ['content_block_start', 0],
      ['content_block_delta', 0],
      ['content_block_stop', 0],
      ['content_block_start', 1],
      ['content_block_delta', 1],
      ['content_block_delta', 1],
      ['content_block_stop', 1],
      ['content_block_start', 2],
      ['content_block_delta', 2],
      ['content_block_stop', 2],
      ['message_delta', undefined],
      ['message_stop', undefined],
    ]);
    expect(out[4]?.data.content_block).toEqual({ type: 'tool_use', id: 'call_1', name: 'weather', input: {} });
    const json = out.filter((e) => e.data.index === 1 && e.event === 'content_block_delta').map((e) => e.data.delta.partial_json).join('');
    expect(JSON.parse(json)).toEqual({ city: 'Oslo' });
    expect(out.at(-2)?.data.delta.stop_reason).toBe('tool_use');
  });

  it('ends a broken stream with an error event', () => {
    const encoder = new AnthropicStreamEncoder({ requestId: 'r1', model: 'm' });
    expect(parse(encoder.fail({ status: 502, message: 'upstream died' }))).toEqual([
      { event: 'error', data: { type: 'error', error: { type: 'api_error', message: 'upstream died' } } },
    ]);
  });
});

describe('AnthropicStreamEncoder thinking', () => {
  it('opens thinking blocks, signs them, and shows a detached signature as an empty signed block', () => {
    const out = encode([
      { type: 'reasoning', text: 'Let me ' },
      { type: 'reasoning', text: 'think.' },
      { type: 'reasoning_end', signature: 'S1' },
      { type: 'reasoning_redacted', data: 'ENC' },
      { type: 'reasoning_end' },
      { type: 'reasoning_end', signature: 'S2' },
      { type: 'tool_call_start', index: 0, id: 'c', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{}' },
      { type: 'stop', reason: 'stop_sequence', sequence: 'END' },
    ]);
    expect(out.map((e) => [e.event, e.data.content_block?.type ?? e.data.delta?.type])).toEqual([
      ['message_start', undefined],
      ['content_block_start', 'thinking'],
      ['content_block_delta', 'thinking_delta'],
      ['content_block_delta', 'thinking_delta'],
      ['content_block_delta', 'signature_delta'],
      ['content_block_stop', undefined],
      ['content_block_start', 'redacted_thinking'],
      ['content_block_stop', undefined],
      ['content_block_start', 'thinking'],
      ['content_block_delta', 'signature_delta'],
      ['content_block_stop', undefined],
      ['content_block_start', 'tool_use'],
      ['content_block_delta', 'input_json_delta'],
      ['content_block_stop', undefined],
      ['message_delta', undefined],
      ['message_stop', undefined],
    ]);
    expect(out[4]?.data.delta).toEqual({ type: 'signature_delta', signature: 'S1' });
    expect(out[6]?.data.content_block).toEqual({ type: 'redacted_thinking', data: 'ENC' });
    expect(out.at(-2)?.data.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  describe('message_start', () => {
    const usage = { inputTokens: 1200, outputTokens: 1, cachedInputTokens: 200 };

    it('waits for the first content and carries the prompt tokens and the model the upstream sent before it', () => {
      const encoder = new AnthropicStreamEncoder({ requestId: 'r2', model: 'asked' });
      expect(encoder.begin()).toBe('');
      expect(encoder.push({ type: 'model', model: 'gemini-2.5-pro' }) + encoder.push({ type: 'usage', usage })).toBe('');
      const out = parse(encoder.push({ type: 'text', text: 'Hi' }) + encoder.push({ type: 'usage', usage: { ...usage, outputTokens: 5 } }) + encoder.end());
      expect(out.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
      expect(out[0]?.data.message).toMatchObject({
        model: 'gemini-2.5-pro',
        usage: { input_tokens: 1000, output_tokens: 0, cache_read_input_tokens: 200, cache_creation_input_tokens: 0 },
      });
      // the final usage repeats the input tokens: clients that read them at the end find them there
      expect(out[4]?.data.usage).toEqual({ input_tokens: 1000, output_tokens: 5, cache_read_input_tokens: 200, cache_creation_input_tokens: 0 });
    });

    it('carries the local estimate when the upstream reports usage only at the end (OpenAI-compatible), and the real count in message_delta', () => {
      const events: IrStreamEvent[] = [{ type: 'text', text: 'Hi' }, { type: 'stop', reason: 'end_turn' }, { type: 'usage', usage }];
      const encoder = new AnthropicStreamEncoder({ requestId: 'r3', model: 'm', promptTokens: 1180 });
      const out = parse(encoder.begin() + events.map((e) => encoder.push(e)).join('') + encoder.end());
      expect(out[0]?.data.message.usage).toEqual({ input_tokens: 1180, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
      expect(out.at(-2)?.data.usage).toMatchObject({ input_tokens: 1000, cache_read_input_tokens: 200 });
      // without an estimate there is nothing truthful to say before the end
      expect(encode(events)[0]?.data.message.usage.input_tokens).toBe(0);
    });

    it('still opens an answer without content', () => {
      const out = encode([{ type: 'usage', usage }, { type: 'stop', reason: 'end_turn' }]);
      expect(out.map((e) => e.event)).toEqual(['message_start', 'message_delta', 'message_stop']);
      expect(out[0]?.data.message.usage.input_tokens).toBe(1000);
    });
  });
});

