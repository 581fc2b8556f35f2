import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { SseParser } from '../../sse/sse-parser.js';
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
    const failed = events(new OpenAiStreamEncoder({ requestId: 'r', model: 'm', streamUsage: false }).fail('boom'));
    expect(failed).toEqual([{ event: 'message', data: JSON.stringify({ error: { message: 'boom', type: 'server_error', param: null, code: null } }) }]);
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
