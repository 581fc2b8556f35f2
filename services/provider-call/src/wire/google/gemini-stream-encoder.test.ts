import { describe, expect, it } from 'vitest';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { SseParser } from '@aigw/formats';
import { GeminiStreamEncoder } from './gemini-stream-encoder.js';
import { GeminiStreamDecoder } from './gemini-stream-decoder.js';

function encode(events: IrStreamEvent[]): string {
  const encoder = new GeminiStreamEncoder({ requestId: 'r1', model: 'm' });
  return encoder.begin() + events.map((e) => encoder.push(e)).join('') + encoder.end();
}

function chunks(text: string): Array<Record<string, any>> {
  const parser = new SseParser();
  return [...parser.push(new TextEncoder().encode(text)), ...parser.end()].map((e) => JSON.parse(e.data));
}

describe('GeminiStreamEncoder', () => {
  it('sends text and thoughts as they come, calls whole, and finishReason with usage last', () => {
    const out = chunks(
      encode([
        { type: 'model', model: 'claude-x' },
        { type: 'reasoning', text: 'Hmm' },
        { type: 'reasoning_end', signature: 'S1' },
        { type: 'text', text: 'Checking' },
        { type: 'reasoning_end' },
        { type: 'reasoning_end', signature: 'S2' },
        { type: 'tool_call_start', index: 0, id: 'toolu_1', name: 'weather' },
        { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
        { type: 'tool_call_delta', index: 0, arguments: '"Oslo"}' },
        { type: 'tool_call_start', index: 1, id: 'toolu_2', name: 'time' },
        { type: 'stop', reason: 'tool_use' },
        { type: 'usage', usage: { inputTokens: 9, outputTokens: 4, cachedInputTokens: 2 } },
      ]),
    );
    expect(out.map((c) => c.candidates[0].content?.parts)).toEqual([
      [{ text: 'Hmm', thought: true }],
      [{ text: '', thought: true, thoughtSignature: 'S1' }],
      [{ text: 'Checking' }],
      [
        { functionCall: { id: 'toolu_1', name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'S2' },
        { functionCall: { id: 'toolu_2', name: 'time', args: {} } },
      ],
    ]);
    expect(out.at(-1)).toEqual({
      candidates: [
        {
          content: { role: 'model', parts: out.at(-1)?.candidates[0].content.parts },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 4, cachedContentTokenCount: 2, totalTokenCount: 13 },
      modelVersion: 'claude-x',
      responseId: 'r1',
    });
  });

  it('reads back as the same events through the Gemini stream decoder', () => {
    const events: IrStreamEvent[] = [
      { type: 'reasoning', text: 'plan' },
      { type: 'reasoning_end', signature: 'S' },
      { type: 'text', text: 'Hello' },
      { type: 'stop', reason: 'max_tokens' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2, cachedInputTokens: 0 } },
    ];
    const decoder = new GeminiStreamDecoder((r) => r, () => 'id');
    const parser = new SseParser();
    const back = [...parser.push(new TextEncoder().encode(encode(events))), ...parser.end()].flatMap((e) => decoder.push(e));
    // The decoder puts a chunk's usage before its content; the final chunk carries the stop and the usage.
    expect(back.filter((e) => e.type !== 'model')).toEqual([events[0], events[1], events[2], events[4], events[3]]);
  });

  it('ends a broken stream with a Google error event', () => {
    const failed = new GeminiStreamEncoder({ requestId: 'r', model: 'm' }).fail({ status: 529, message: 'Overloaded' });
    expect(chunks(failed)).toEqual([{ error: { code: 529, message: 'Overloaded', status: 'UNAVAILABLE' } }]);
  });
});
