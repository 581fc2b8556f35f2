import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { SseParser } from '@aigw/formats';
import { OpenAiPassthroughStream, passthroughBody } from './openai-passthrough.js';
import { OpenAiStreamDecoder } from './openai-stream-decoder.js';
import { OpenAiStreamEncoder } from './openai-stream-encoder.js';

const sse = (data: unknown) => ({ event: 'message', data: typeof data === 'string' ? data : JSON.stringify(data) });
const chunk = (delta: unknown, finish: string | null = null, extra: object = {}) =>
  sse({ id: 'x', object: 'chat.completion.chunk', model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }], ...extra });

/** Client-visible events of an SSE text, parsed back. */
function events(text: string): Array<{ event: string; data: string }> {
  const parser = new SseParser();
  return [...parser.push(new TextEncoder().encode(text)), ...parser.end()];
}

describe('OpenAiStreamDecoder', () => {
  it('turns text deltas, tool-call argument deltas, finish and usage into IR events', () => {
    const decoder = new OpenAiStreamDecoder();
    const out: IrStreamEvent[] = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({}, 'tool_calls'),
      sse({ id: 'x', choices: [], usage: { prompt_tokens: 7, completion_tokens: 5 } }),
      sse('[DONE]'),
    ].flatMap((e) => decoder.push(e));
    expect(out).toEqual([
      { type: 'model', model: 'gpt-4o' },
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'tool_call_start', index: 0, id: 'call_a', name: 'get_weather' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
      { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
      { type: 'stop', reason: 'tool_use' },
      { type: 'usage', usage: { inputTokens: 7, outputTokens: 5, cachedInputTokens: 0 } },
    ]);
  });

  it("puts a chunk's usage before its content (servers reporting usage on every chunk give the prompt count up front)", () => {
    const decoder = new OpenAiStreamDecoder();
    const out = decoder.push(chunk({ content: 'Hi' }, null, { usage: { prompt_tokens: 7, completion_tokens: 1 } }));
    expect(out.map((e) => e.type)).toEqual(['model', 'usage', 'text']);
  });

  it('treats an error object or unreadable data as a broken stream', () => {
    expect(() => new OpenAiStreamDecoder().push(sse({ error: { message: 'overloaded' } }))).toThrowError('overloaded');
    expect(() => new OpenAiStreamDecoder().push(sse('{"trunc'))).toThrowError(AppError);
  });
});

describe('OpenAiStreamEncoder', () => {
  it('writes chunks, the finish chunk, the usage chunk when asked, and [DONE]', () => {
    const encoder = new OpenAiStreamEncoder({ requestId: 'r1', model: 'claude-x', streamUsage: true });
    let text = encoder.begin();
    for (const e of [
      { type: 'text', text: 'Hi' },
      { type: 'tool_call_start', index: 0, id: 'c1', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a":1}' },
      { type: 'stop', reason: 'max_tokens' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2, cachedInputTokens: 0 } },
    ] satisfies IrStreamEvent[]) {
      text += encoder.push(e);
    }
    text += encoder.end();
    const out = events(text);
    expect(out.at(-1)?.data).toBe('[DONE]');
    const chunks = out.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(chunks.every((c) => c.id === 'chatcmpl-r1' && c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hi' },
      { tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] },
      {},
      undefined,
    ]);
    expect(chunks[4].choices[0].finish_reason).toBe('length');
    expect(chunks[5]).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
  });

  it('leaves the usage chunk out when the client did not ask, and ends a broken stream without [DONE]', () => {
    const encoder = new OpenAiStreamEncoder({ requestId: 'r1', model: 'm', streamUsage: false });
    expect(events(encoder.end()).map((e) => e.data.startsWith('{"id"') || e.data)).toEqual([true, '[DONE]']);
    const failed = events(new OpenAiStreamEncoder({ requestId: 'r', model: 'm', streamUsage: false }).fail({ status: 502, message: 'boom' }));
    expect(failed).toEqual([{ event: 'message', data: JSON.stringify({ error: { message: 'boom', type: 'server_error', param: null, code: 'upstream_error' } }) }]);
  });
});

describe('OpenAI pass-through', () => {
  it('replaces only the model and always asks for stream usage', () => {
    const body = { model: 'alias', messages: [{ role: 'user', content: 'hi' }], seed: 3, stream: true };
    expect(passthroughBody(body, 'gpt-4o', true)).toEqual({ ...body, model: 'gpt-4o', stream_options: { include_usage: true } });
    expect(passthroughBody({ ...body, stream_options: { include_usage: false } }, 'gpt-4o', false)).toEqual({ ...body, model: 'gpt-4o', stream: false });
  });

  it('forwards events as they are, reads usage, and hides the usage chunk from clients that did not ask', () => {
    const usageChunk = sse({ id: 'x', choices: [], usage: { prompt_tokens: 4, completion_tokens: 6 } });
    const content = chunk({ content: 'Hi' });
    const hidden = new OpenAiPassthroughStream(false);
    expect(hidden.push(content)).toBe(`data: ${content.data}\n\n`);
    expect(hidden.push(usageChunk)).toBe('');
    expect(hidden.push(sse('[DONE]'))).toBe('data: [DONE]\n\n');
    expect(hidden.usage()).toEqual({ inputTokens: 4, outputTokens: 6, cachedInputTokens: 0 });

    const shown = new OpenAiPassthroughStream(true);
    expect(shown.push(usageChunk)).toBe(`data: ${usageChunk.data}\n\n`);
    expect(shown.usage()?.outputTokens).toBe(6);
  });
});

describe('OpenAI streams: reasoning, signatures and endings', () => {
  it('decodes reasoning deltas and a call signature, and refuses a body without finish_reason', () => {
    const decoder = new OpenAiStreamDecoder();
    const out = [
      chunk({ reasoning_content: 'Let me ' }),
      chunk({ reasoning: 'think.' }),
      chunk({ tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '' }, extra_content: { google: { thought_signature: 'S' } } }] }),
    ].flatMap((e) => decoder.push(e));
    expect(out.slice(1)).toEqual([
      { type: 'reasoning', text: 'Let me ' },
      { type: 'reasoning', text: 'think.' },
      { type: 'reasoning_end' },
      { type: 'reasoning_end', signature: 'S' },
      { type: 'tool_call_start', index: 0, id: 'c', name: 'f' },
    ]);
    expect(() => decoder.end()).toThrowError('upstream stream ended before its final event');
    decoder.push(chunk({}, 'tool_calls'));
    expect(decoder.end()).toEqual([]);
  });

  it('keeps the status of an in-stream error', () => {
    expect(() => new OpenAiStreamDecoder().push(sse({ error: { message: 'slow down', code: 429 } }))).toThrowError(
      expect.objectContaining({ message: 'slow down', details: { upstreamStatus: '429' } }),
    );
  });

  it('encodes reasoning as reasoning_content and puts a detached signature on the next tool call', () => {
    const encoder = new OpenAiStreamEncoder({ requestId: 'r', model: 'm', streamUsage: false });
    const text = [
      { type: 'reasoning', text: 'hmm' },
      { type: 'reasoning_end', signature: 'lost' },
      { type: 'reasoning_end', signature: 'S' },
      { type: 'tool_call_start', index: 0, id: 'c', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{}' },
    ]
      .map((e) => encoder.push(e as IrStreamEvent))
      .join('');
    const deltas = events(text).map((e) => JSON.parse(e.data).choices[0].delta);
    expect(deltas).toEqual([
      { reasoning_content: 'hmm' },
      { tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '' }, extra_content: { google: { thought_signature: 'S' } } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{}' } }] },
    ]);
  });

  it('pass-through turns an error chunk into a broken stream and a body without an end into a truncated one', () => {
    const stream = new OpenAiPassthroughStream(false);
    expect(stream.push(chunk({ content: 'he said "error": no' }))).not.toBe('');
    expect(() => stream.push(sse({ error: { message: 'overloaded', code: 503 } }))).toThrowError('overloaded');
    expect(() => new OpenAiPassthroughStream(false).end()).toThrowError(/ended before its final event/);
    const finished = new OpenAiPassthroughStream(false);
    finished.push(chunk({}, 'stop'));
    expect(finished.end()).toBe('');
    expect(events(finished.fail({ status: 504, message: 'timeout' }))[0]?.data).toContain('"code":"upstream_timeout"');
  });
});
