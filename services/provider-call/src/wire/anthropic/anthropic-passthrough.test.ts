import { describe, expect, it } from 'vitest';
import type { UpstreamTarget } from '../../adapters/provider-adapter.js';
import { anthropicPassthrough, anthropicPassthroughBody, AnthropicPassthroughStream } from './anthropic-passthrough.js';
import { anthropicMessagesUrl } from './anthropic-upstream.js';

const target: UpstreamTarget = {
  accountId: 1,
  baseUrl: 'https://api.anthropic.com',
  model: 'claude-sonnet-4',
  credential: { headerName: 'x-api-key', headerValue: 'sk-ant' },
  settings: {},
};
const ev = (type: string, payload: object = {}) => ({ event: type, data: JSON.stringify({ type, ...payload }) });

describe('Anthropic pass-through', () => {
  it('forwards the body with the routed model, the API version and the key', () => {
    const body = { model: 'alias', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }] };
    const exchange = anthropicPassthrough.createExchange(body, target, true, { requestId: 'r', model: 'claude-sonnet-4' });
    expect(exchange.request.url).toBe('https://api.anthropic.com/v1/messages');
    expect(exchange.request.headers).toMatchObject({ 'x-api-key': 'sk-ant', 'anthropic-version': '2023-06-01', accept: 'text/event-stream' });
    expect(JSON.parse(String(exchange.request.body))).toEqual({ ...body, model: 'claude-sonnet-4', stream: true });
    expect(exchange.droppedFields).toEqual([]);
    expect(anthropicPassthroughBody({ ...body, stream: true }, 'm', false)).not.toHaveProperty('stream');
  });

  it('sends a client\'s body on member for member, each as it was written, but for the model and the stream flag', () => {
    // Key order, spacing, escapes and unknown fields as a client wrote them (what prompt caching keys on).
    const raw = '{"max_tokens":10,"model":"alias","system":[{"type":"text","text":"caf\\u00e9 \\"q\\"","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"hi"}],"future_field":{"x":[1,2]}}';
    const exchange = anthropicPassthrough.createExchangeFromBytes!(Buffer.from(raw), target, true, { requestId: 'r', model: 'claude-sonnet-4' });
    expect(String(exchange?.request.body)).toBe(raw.replace('"model":"alias"', '"model":"claude-sonnet-4"').replace(/}$/, ',"stream":true}'));
    const unstreamed = anthropicPassthrough.createExchangeFromBytes!(Buffer.from('{"model":"a","stream":true,"max_tokens":1}'), target, false, { requestId: 'r', model: 'm' });
    expect(String(unstreamed?.request.body)).toBe('{"model":"claude-sonnet-4","max_tokens":1}');
  });

  it('leaves an OAuth account\'s body to the parsed path, which adds Claude Code\'s system prompt', () => {
    const oauth: UpstreamTarget = { ...target, oauth: true, credential: { headerName: 'authorization', headerValue: 'Bearer sk-ant-oat' } };
    expect(anthropicPassthrough.createExchangeFromBytes!(Buffer.from('{"model":"a","max_tokens":1,"messages":[]}'), oauth, true, { requestId: 'r', model: 'm' })).toBeUndefined();
  });

  it('reads usage from a message and passes Anthropic errors on as they are', () => {
    const exchange = anthropicPassthrough.createExchange({ model: 'a', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }, target, false, { requestId: 'r', model: 'm' });
    const answer = JSON.stringify({ type: 'message', content: [], usage: { input_tokens: 2, cache_read_input_tokens: 8, output_tokens: 3 } });
    expect(exchange.readResponse(answer)).toEqual({ body: answer, usage: { inputTokens: 10, outputTokens: 3, cachedInputTokens: 8 } });
    const error = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(exchange.readError(529, error).body).toBe(error);
    expect(JSON.parse(exchange.readError(502, '<html>').body)).toEqual({ type: 'error', error: { type: 'api_error', message: 'upstream answered with status 502 and an error body in no known error format' } });
  });

  it('streams events through, keeps usage from message_start and message_delta, and breaks on an error event', () => {
    const stream = new AnthropicPassthroughStream();
    const start = ev('message_start', { message: { usage: { input_tokens: 4, cache_read_input_tokens: 6, output_tokens: 1 } } });
    expect(stream.push(start)).toBe(`event: message_start\ndata: ${start.data}\n\n`);
    stream.push(ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }));
    stream.push(ev('message_stop'));
    expect(stream.end()).toBe('');
    expect(stream.usage()).toEqual({ inputTokens: 10, outputTokens: 9, cachedInputTokens: 6 });
    expect(() => new AnthropicPassthroughStream().push(ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }))).toThrowError('Overloaded');
    expect(() => new AnthropicPassthroughStream().end()).toThrowError(/ended before/);
  });

  it('builds the messages URL from a base with or without /v1', () => {
    expect(anthropicMessagesUrl('https://api.anthropic.com/')).toBe('https://api.anthropic.com/v1/messages');
    expect(anthropicMessagesUrl('http://emu:1/v1')).toBe('http://emu:1/v1/messages');
  });
});

describe('Anthropic pass-through from a server that leaves out event names', () => {
  it('reads the event type from the data', () => {
    const stream = new AnthropicPassthroughStream();
    const unnamed = (type: string, payload: object = {}) => ({ event: 'message', data: JSON.stringify({ type, ...payload }) });
    stream.push(unnamed('message_start', { message: { usage: { input_tokens: 3, output_tokens: 1 } } }));
    stream.push(unnamed('message_stop'));
    expect(stream.end()).toBe('');
    expect(stream.usage()).toEqual({ inputTokens: 3, outputTokens: 1, cachedInputTokens: 0 });
  });
});
