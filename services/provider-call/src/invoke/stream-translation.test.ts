import { describe, expect, it } from 'vitest';
import { ClientFormat, InvokeRequest } from '@aigw/proto';
import { streamFailure } from '../adapters/stream-failure.js';
import { SseParser, type SseEvent } from '@aigw/formats';
import { planExchange } from './plan-exchange.js';

// Whole streams across formats: upstream SSE events in, client SSE out, through planExchange as the
// service runs them. Tool arguments must arrive complete, reasoning must keep its signature where the
// client format has a place for it, and usage must not be counted twice.

function request(clientFormat: ClientFormat, providerKind: string, body: unknown, model = 'up-model'): InvokeRequest {
  return InvokeRequest.fromPartial({
    requestId: 'req-1',
    clientFormat,
    body: Buffer.from(JSON.stringify(body)),
    upstreamModel: model,
    account: { id: 7, providerKind, baseUrl: 'http://upstream', settingsJson: '{"project":"p"}' },
    credential: { headerName: 'x-api-key', headerValue: 'k' },
    stream: true,
  });
}

function parse(text: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(new TextEncoder().encode(text)), ...parser.end()];
}

const anthropicEvent = (type: string, payload: object = {}) => ({ event: type, data: JSON.stringify({ type, ...payload }) });
const geminiEvent = (response: object) => ({ event: 'message', data: JSON.stringify(response) });

const ANTHROPIC_UPSTREAM = [
  anthropicEvent('message_start', { message: { model: 'claude-x', usage: { input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 1 } } }),
  anthropicEvent('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }),
  anthropicEvent('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Need weather.' } }),
  anthropicEvent('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'SIG' } }),
  anthropicEvent('content_block_stop', { index: 0 }),
  anthropicEvent('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} } }),
  anthropicEvent('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"ci' } }),
  anthropicEvent('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: 'ty":"Oslo"}' } }),
  anthropicEvent('content_block_stop', { index: 1 }),
  anthropicEvent('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 12 } }),
  anthropicEvent('message_stop'),
];

describe('stream translation across formats', () => {
  it('Anthropic upstream → OpenAI client: reasoning_content, complete tool arguments, usage with the cached part', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'weather?' }], stream: true, stream_options: { include_usage: true } };
    const stream = planExchange(request(ClientFormat.CLIENT_FORMAT_OPENAI, 'anthropic', body), true).openStream();
    const text = stream.begin() + ANTHROPIC_UPSTREAM.map((e) => stream.push(e)).join('') + stream.end();
    const chunks = parse(text).filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data));
    const deltas = chunks.map((c) => c.choices[0]?.delta ?? {});
    expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe('Need weather.');
    const args = deltas.flatMap((d) => d.tool_calls ?? []).map((c) => c.function.arguments).join('');
    expect(JSON.parse(args)).toEqual({ city: 'Oslo' });
    expect(deltas.flatMap((d) => d.tool_calls ?? [])[0]).toMatchObject({ id: 'toolu_1', function: { name: 'weather' } });
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
    expect(chunks.at(-1).usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 12, prompt_tokens_details: { cached_tokens: 90 } });
    expect(stream.usage()).toEqual({ inputTokens: 100, outputTokens: 12, cachedInputTokens: 90 });
  });

  it('Anthropic upstream → Gemini client: a signed thought and a whole functionCall', () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'weather?' }] }] };
    const stream = planExchange(request(ClientFormat.CLIENT_FORMAT_GEMINI, 'anthropic', body), true).openStream();
    const text = stream.begin() + ANTHROPIC_UPSTREAM.map((e) => stream.push(e)).join('') + stream.end();
    const parts = parse(text).flatMap((e) => JSON.parse(e.data).candidates[0].content?.parts ?? []);
    expect(parts).toEqual([
      { text: 'Need weather.', thought: true },
      { text: '', thought: true, thoughtSignature: 'SIG' },
      { functionCall: { id: 'toolu_1', name: 'weather', args: { city: 'Oslo' } } },
    ]);
    const last = JSON.parse(parse(text).at(-1)?.data ?? '');
    expect(last.candidates[0].finishReason).toBe('STOP');
    expect(last.usageMetadata).toEqual({ promptTokenCount: 100, candidatesTokenCount: 12, cachedContentTokenCount: 90, totalTokenCount: 112 });
  });

  it('Gemini upstream → Anthropic client: thinking with its signature, a signed call as an empty signed block', () => {
    const body = { model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'weather?' }], stream: true };
    const stream = planExchange(request(ClientFormat.CLIENT_FORMAT_ANTHROPIC, 'gemini', body, 'gemini-3-pro'), true).openStream();
    const upstream = [
      geminiEvent({ candidates: [{ content: { role: 'model', parts: [{ text: 'Plan', thought: true }] } }], modelVersion: 'gemini-3-pro' }),
      geminiEvent({ candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'GSIG' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 8, thoughtsTokenCount: 4, cachedContentTokenCount: 40 } }),
    ];
    const text = stream.begin() + upstream.map((e) => stream.push(e)).join('') + stream.end();
    const events = parse(text).map((e) => JSON.parse(e.data));
    const blocks = events.filter((e) => e.type === 'content_block_start').map((e) => e.content_block);
    // Thinking blocks open with an empty signature (filled by signature_delta when the upstream signed it), so
    // an SDK accumulating the stream ends with a string signature, as it does for a non-streamed message.
    expect(blocks).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'tool_use', id: expect.stringMatching(/^call_/), name: 'weather', input: {} },
    ]);
    expect(events.filter((e) => e.delta?.type === 'signature_delta').map((e) => e.delta.signature)).toEqual(['GSIG']);
    expect(JSON.parse(events.filter((e) => e.delta?.type === 'input_json_delta').map((e) => e.delta.partial_json).join(''))).toEqual({ city: 'Oslo' });
    const delta = events.find((e) => e.type === 'message_delta');
    expect(delta).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { input_tokens: 10, cache_read_input_tokens: 40, output_tokens: 12 } });
  });

  it('OpenAI upstream → Gemini client: argument deltas joined into one functionCall', () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'go' }] }] };
    const stream = planExchange(request(ClientFormat.CLIENT_FORMAT_GEMINI, 'openai', body), true).openStream();
    const chunk = (delta: object, finish: string | null = null) => ({ event: 'message', data: JSON.stringify({ model: 'gpt', choices: [{ index: 0, delta, finish_reason: finish }] }) });
    const upstream = [
      chunk({ role: 'assistant', content: 'Sure' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '[1,2]}' } }] }),
      chunk({}, 'tool_calls'),
      { event: 'message', data: JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 5 } } }) },
      { event: 'message', data: '[DONE]' },
    ];
    const text = stream.begin() + upstream.map((e) => stream.push(e)).join('') + stream.end();
    const responses = parse(text).map((e) => JSON.parse(e.data));
    expect(responses.flatMap((r) => r.candidates[0].content?.parts ?? [])).toEqual([{ text: 'Sure' }, { functionCall: { id: 'call_a', name: 'f', args: { x: [1, 2] } } }]);
    expect(responses.at(-1)?.usageMetadata).toEqual({ promptTokenCount: 7, candidatesTokenCount: 3, cachedContentTokenCount: 5, totalTokenCount: 10 });
  });

  it('an upstream error mid-stream ends a Gemini client stream with a Google error event carrying its status', () => {
    const stream = planExchange(request(ClientFormat.CLIENT_FORMAT_GEMINI, 'anthropic', { contents: [{ parts: [{ text: 'x' }] }] }), true).openStream();
    stream.push(ANTHROPIC_UPSTREAM[0]!);
    let failure;
    try {
      stream.push(anthropicEvent('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }));
    } catch (error) {
      failure = streamFailure(error as never);
    }
    expect(failure).toEqual({ status: 529, message: 'Overloaded' });
    expect(JSON.parse(parse(stream.fail(failure!))[0]?.data ?? '')).toEqual({ error: { code: 529, message: 'Overloaded', status: 'UNAVAILABLE' } });
  });
});
