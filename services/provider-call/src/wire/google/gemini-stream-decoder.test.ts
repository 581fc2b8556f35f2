import { describe, expect, it } from 'vitest';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { asRecord } from '../../ir/json-shape.js';
import { GeminiStreamDecoder } from './gemini-stream-decoder.js';

const ids = () => {
  let n = 0;
  return () => `call_${++n}`;
};

describe('GeminiStreamDecoder', () => {
  const envelope = (response: unknown) => ({ event: 'message', data: JSON.stringify({ response, traceId: 't' }) });
  const decoder = () => new GeminiStreamDecoder((e) => asRecord(e.response), ids());

  it('turns each event into usage (first, as it describes the answer so far), text deltas, complete function calls and stop', () => {
    const d = decoder();
    const out: IrStreamEvent[] = [
      envelope({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] } }], modelVersion: 'gemini-x' }),
      envelope({ candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }] } }], modelVersion: 'gemini-x' }),
      envelope({
        candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 },
      }),
    ].flatMap((e) => d.push(e));
    expect(out).toEqual([
      { type: 'model', model: 'gemini-x' },
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2, cachedInputTokens: 0 } },
      { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a":1}' },
      { type: 'stop', reason: 'tool_use' },
    ]);
  });

  it('treats an error event or unreadable data as a broken stream', () => {
    expect(() => decoder().push({ event: 'message', data: '{"error":{"code":500,"message":"Internal error"}}' })).toThrowError('Internal error');
    expect(() => decoder().push({ event: 'message', data: '{"response":' })).toThrowError(/unreadable/);
  });
});

describe('GeminiStreamDecoder thoughts and endings', () => {
  const plain = () => new GeminiStreamDecoder((e) => e, ids());
  const event = (response: unknown) => ({ event: 'message', data: JSON.stringify(response) });

  it('reads thought deltas, the signature closing them, and a signature on a call', () => {
    const d = plain();
    const out = [
      event({ candidates: [{ content: { parts: [{ text: 'Let me', thought: true }] } }] }),
      event({ candidates: [{ content: { parts: [{ text: ' see', thought: true, thoughtSignature: 'S1' }] } }] }),
      event({ candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'S2' }] }, finishReason: 'STOP' }] }),
    ].flatMap((e) => d.push(e));
    expect(out).toEqual([
      { type: 'reasoning', text: 'Let me' },
      { type: 'reasoning', text: ' see' },
      { type: 'reasoning_end', signature: 'S1' },
      { type: 'reasoning_end' },
      { type: 'reasoning_end', signature: 'S2' },
      { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{}' },
      { type: 'stop', reason: 'tool_use' },
    ]);
    expect(d.end()).toEqual([]);
  });

  it('refuses a body that ended before a finishReason, and keeps the code of an error event', () => {
    const d = plain();
    d.push(event({ candidates: [{ content: { parts: [{ text: 'cut' }] } }] }));
    expect(() => d.end()).toThrowError(/ended before its final event/);
    expect(() => plain().push(event({ error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }))).toThrowError(
      expect.objectContaining({ details: { upstreamStatus: '503' } }),
    );
    const blocked = plain();
    expect(blocked.push(event({ promptFeedback: { blockReason: 'SAFETY' } }))).toEqual([{ type: 'stop', reason: 'content_filter' }]);
    expect(blocked.end()).toEqual([]);
  });
});
