import { describe, expect, it } from 'vitest';
import { ClientFormat, InvokeRequest, StreamFraming } from '@aigw/proto';
import { SseParser } from '@aigw/formats';
import { planExchange } from './plan-exchange.js';

function invokeRequest(clientFormat: ClientFormat, providerKind: string, body: unknown): InvokeRequest {
  return InvokeRequest.fromPartial({
    requestId: 'req-1',
    clientFormat,
    body: Buffer.from(JSON.stringify(body)),
    upstreamModel: 'up-model',
    account: { id: 7, providerKind, baseUrl: 'http://upstream/v1', settingsJson: '{"project":"p-1"}' },
    // An API key, in the header auth sends it in for the kind (a bearer to anthropic is a subscription's OAuth token).
    credential: providerKind === 'anthropic' ? { headerName: 'x-api-key', headerValue: 'sk-1' } : { headerName: 'authorization', headerValue: 'Bearer sk-1' },
  });
}

const openAiBody = { model: 'alias', messages: [{ role: 'user', content: 'Hi' }], logit_bias: { '1': 2 } };
const anthropicBody = { model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

function sseEvents(text: string) {
  const parser = new SseParser();
  return [...parser.push(new TextEncoder().encode(text)), ...parser.end()];
}

describe('planExchange', () => {
  it('passes an OpenAI body to an OpenAI upstream with only the model replaced', () => {
    const exchange = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_OPENAI, 'openai', openAiBody), false);
    expect(exchange.request.url).toBe('http://upstream/v1/chat/completions');
    expect(exchange.request.headers.authorization).toBe('Bearer sk-1');
    expect(JSON.parse(String(exchange.request.body))).toEqual({ ...openAiBody, model: 'up-model' });
    expect(exchange.droppedFields).toEqual([]);
    const answer = JSON.stringify({ choices: [{ message: { content: 'Hello' } }], usage: { prompt_tokens: 1, completion_tokens: 2 } });
    expect(exchange.readResponse(answer)).toEqual({ body: answer, usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0 } });
  });

  it('sends a Chat Completions body to an openai provider on the Responses wire as a stateless Responses request', () => {
    const request = invokeRequest(ClientFormat.CLIENT_FORMAT_OPENAI, 'openai', openAiBody);
    const exchange = planExchange({ ...request, account: { ...request.account!, providerWire: 'responses' } }, false);
    expect(exchange.request.url).toBe('http://upstream/v1/responses');
    expect(JSON.parse(String(exchange.request.body))).toEqual({
      model: 'up-model',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }],
      store: false,
    });
    expect(exchange.droppedFields).toEqual(['logit_bias']);
    const answer = { id: 'resp_1', object: 'response', status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hello' }] }], usage: { input_tokens: 1, output_tokens: 2 } };
    const { body, usage } = exchange.readResponse(JSON.stringify(answer));
    expect(JSON.parse(body)).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Hello' }, finish_reason: 'stop' }] });
    expect(usage).toEqual({ inputTokens: 1, outputTokens: 2, cachedInputTokens: 0 });
  });

  it('translates an OpenAI body for antigravity and reports what it could not carry', () => {
    const exchange = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_OPENAI, 'antigravity', openAiBody), false);
    expect(exchange.request.url).toBe('http://upstream/v1/v1internal:generateContent');
    expect(JSON.parse(String(exchange.request.body))).toEqual({ project: 'p-1', model: 'up-model', request: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] } });
    expect(exchange.droppedFields).toEqual(['logit_bias']);
    const answer = { response: { candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2 } } };
    const { body, usage } = exchange.readResponse(JSON.stringify(answer));
    expect(JSON.parse(body)).toMatchObject({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }] });
    expect(usage).toEqual({ inputTokens: 1, outputTokens: 2, cachedInputTokens: 0 });
  });

  it('answers upstream errors in the client protocol with the retry hint', () => {
    const exchange = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_ANTHROPIC, 'antigravity', anthropicBody), false);
    const googleError = JSON.stringify({
      error: { code: 429, message: 'quota', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' }] },
    });
    const error = exchange.readError(429, googleError);
    expect(JSON.parse(error.body)).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'quota' } });
    expect(error.retryAfterMs).toBe(3000);
    expect(() => exchange.readResponse('<html>')).toThrowError(/not JSON/);
  });

  it('streams an OpenAI upstream to an Anthropic client as Messages events', () => {
    const exchange = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_ANTHROPIC, 'openai', anthropicBody), true);
    expect(JSON.parse(String(exchange.request.body))).toMatchObject({ model: 'up-model', max_tokens: 100, stream: true, stream_options: { include_usage: true } });
    const stream = exchange.openStream();
    const chunk = (o: unknown) => ({ event: 'message', data: JSON.stringify(o) });
    let text = stream.begin();
    text += stream.push(chunk({ model: 'glm', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] }));
    text += stream.push(chunk({ model: 'glm', choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }));
    text += stream.push(chunk({ model: 'glm', choices: [], usage: { prompt_tokens: 4, completion_tokens: 1 } }));
    text += stream.push({ event: 'message', data: '[DONE]' });
    text += stream.end();
    const events = sseEvents(text);
    expect(events.map((e) => e.event)).toEqual([
      'message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
    ]);
    expect(JSON.parse(events[4]?.data ?? '')).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { input_tokens: 4, output_tokens: 1 } });
    expect(stream.usage()).toEqual({ inputTokens: 4, outputTokens: 1, cachedInputTokens: 0 });
  });

  it('rejects what the client must fix', () => {
    expect(() => planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_ANTHROPIC, 'openai', { model: 'c', messages: [] }), false)).toThrowError(
      /max_tokens: Field required/,
    );
    const notJson = InvokeRequest.fromPartial({ ...invokeRequest(ClientFormat.CLIENT_FORMAT_OPENAI, 'openai', {}), body: Buffer.from('{oops') });
    expect(() => planExchange(notJson, false)).toThrowError('request body is not valid JSON');
    expect(() => planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_UNSPECIFIED, 'openai', {}), false)).toThrowError(/not supported/);
  });

  it('passes Anthropic and Gemini bodies through to their own providers', () => {
    const anthropic = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_ANTHROPIC, 'anthropic', { ...anthropicBody, metadata: { user_id: 'u' } }), false);
    expect(anthropic.request.url).toBe('http://upstream/v1/messages');
    expect(anthropic.request.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.parse(String(anthropic.request.body))).toEqual({ ...anthropicBody, model: 'up-model', metadata: { user_id: 'u' } });
    expect(anthropic.droppedFields).toEqual([]);

    const geminiBody = { contents: [{ parts: [{ text: 'Hi' }] }], safetySettings: [] };
    const gemini = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_GEMINI, 'gemini', geminiBody), true);
    expect(gemini.request.url).toBe('http://upstream/v1/models/up-model:streamGenerateContent?alt=sse');
    expect(JSON.parse(String(gemini.request.body))).toEqual(geminiBody);
    const antigravity = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_GEMINI, 'antigravity', geminiBody), false);
    expect(JSON.parse(String(antigravity.request.body))).toEqual({ project: 'p-1', model: 'up-model', request: geminiBody });
  });

  it('translates every client format for every other provider and reports what each cannot carry', () => {
    const gemini = { contents: [{ parts: [{ text: 'Hi' }] }], generationConfig: { topK: 3, seed: 1 } };
    expect(planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_GEMINI, 'openai', gemini), false).droppedFields.sort()).toEqual(['generationConfig.seed', 'top_k']);
    const toAnthropic = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_GEMINI, 'anthropic', gemini), false);
    expect(JSON.parse(String(toAnthropic.request.body))).toEqual({ model: 'up-model', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], top_k: 3 });
    const fromOpenAi = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_OPENAI, 'gemini', { ...openAiBody, temperature: 1.5 }), false);
    expect(fromOpenAi.request.url).toBe('http://upstream/v1/models/up-model:generateContent');
    expect(JSON.parse(String(fromOpenAi.request.body))).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], generationConfig: { temperature: 1.5 } });
    const openAiToAnthropic = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_OPENAI, 'anthropic', { ...openAiBody, temperature: 1.5 }), false);
    expect(openAiToAnthropic.droppedFields.sort()).toEqual(['logit_bias', 'temperature:clamped']);
    const answer = JSON.stringify({ type: 'message', content: [{ type: 'text', text: 'Hello' }], stop_reason: 'end_turn', usage: { input_tokens: 1, cache_read_input_tokens: 4, output_tokens: 2 } });
    const { body, usage } = openAiToAnthropic.readResponse(answer);
    expect(JSON.parse(body)).toMatchObject({ choices: [{ message: { content: 'Hello' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, prompt_tokens_details: { cached_tokens: 4 } } });
    expect(usage).toEqual({ inputTokens: 5, outputTokens: 2, cachedInputTokens: 4 });
  });

  it('answers upstream errors in the Gemini error shape', () => {
    const exchange = planExchange(invokeRequest(ClientFormat.CLIENT_FORMAT_GEMINI, 'anthropic', { contents: [{ parts: [{ text: 'Hi' }] }] }), false);
    const error = exchange.readError(429, JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }));
    expect(JSON.parse(error.body)).toEqual({ error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } });
  });

  describe('Responses API clients', () => {
    const responsesBody = {
      model: 'gpt-5',
      instructions: 'Be terse.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] }],
      tools: [{ type: 'function', name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }, { type: 'web_search' }],
    };
    const responsesRequest = (kind: string, clientHeaders: Array<{ name: string; value: string }> = []) =>
      InvokeRequest.fromPartial({ ...invokeRequest(ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES, kind, responsesBody), responseId: 'resp_from_ingress', clientHeaders });

    it('reach every provider kind translated, web_search reported, the answer named by the id ingress chose', () => {
      for (const kind of ['openai', 'anthropic', 'gemini', 'antigravity']) {
        const exchange = planExchange(responsesRequest(kind), false);
        expect(exchange.droppedFields).toContain('tools[1].type=web_search');
        expect(String(exchange.request.body)).toContain('Be terse.');
      }
      const exchange = planExchange(responsesRequest('anthropic'), false);
      const answer = { content: [{ type: 'text', text: 'Sunny.' }], stop_reason: 'end_turn', usage: { input_tokens: 5, output_tokens: 2 } };
      const { body, usage } = exchange.readResponse(JSON.stringify(answer));
      expect(JSON.parse(body)).toMatchObject({ id: 'resp_from_ingress', object: 'response', status: 'completed', instructions: 'Be terse.', output: [{ type: 'message', content: [{ text: 'Sunny.' }] }] });
      expect(usage).toEqual({ inputTokens: 5, outputTokens: 2, cachedInputTokens: 0 });
      expect(JSON.parse(exchange.readError(429, '{"type":"error","error":{"type":"rate_limit_error","message":"slow"}}').body)).toMatchObject({ error: { code: 'rate_limit_exceeded', message: 'slow' } });
    });

    it('stream an OpenAI upstream’s tool call as Responses events with the whole arguments', () => {
      const stream = planExchange(responsesRequest('openai'), true).openStream();
      const chunk = (delta: unknown, finish: string | null = null) => ({ event: 'message', data: JSON.stringify({ model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] }) });
      let text = stream.begin();
      text += stream.push(chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"ci' } }] }));
      text += stream.push(chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Oslo"}' } }] }, 'tool_calls'));
      text += stream.push({ event: 'message', data: '[DONE]' }) + stream.end();
      const events = sseEvents(text).map((e) => JSON.parse(e.data));
      expect(events.find((e) => e.type === 'response.function_call_arguments.done')).toMatchObject({ arguments: '{"city":"Oslo"}', name: 'weather' });
      expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { id: 'resp_from_ingress', output: [{ type: 'function_call', call_id: 'call_1', arguments: '{"city":"Oslo"}' }] } });
    });

    it('carry OpenAI’s own headers to an OpenAI upstream', () => {
      const exchange = planExchange(responsesRequest('openai', [{ name: 'openai-beta', value: 'responses=v1' }]), false);
      expect(exchange.request.headers['openai-beta']).toBe('responses=v1');
    });
  });

  describe('client headers', () => {
    const headers = [
      { name: 'anthropic-beta', value: 'interleaved-thinking-2025-05-14' },
      { name: 'anthropic-version', value: '2023-06-01' },
    ];
    const withHeaders = (format: ClientFormat, kind: string, body: unknown, clientHeaders = headers) =>
      InvokeRequest.fromPartial({ ...invokeRequest(format, kind, body), clientHeaders });

    it('carries anthropic-beta from an Anthropic client to an Anthropic upstream, beside the account’s own key', () => {
      const request = InvokeRequest.fromPartial({ ...withHeaders(ClientFormat.CLIENT_FORMAT_ANTHROPIC, 'anthropic', anthropicBody), credential: { headerName: 'x-api-key', headerValue: 'sk-ant' } });
      const exchange = planExchange(request, true);
      expect(exchange.request.headers).toMatchObject({ 'anthropic-beta': 'interleaved-thinking-2025-05-14', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant' });
      expect(exchange.droppedFields).toEqual([]);
    });

    it('names it in the dropped fields on a translated route, and sends nothing', () => {
      for (const kind of ['openai', 'gemini', 'antigravity']) {
        const exchange = planExchange(withHeaders(ClientFormat.CLIENT_FORMAT_ANTHROPIC, kind, anthropicBody), false);
        expect(exchange.request.headers['anthropic-beta']).toBeUndefined();
        expect(exchange.droppedFields).toEqual(['header:anthropic-beta']);
      }
    });

    it('never lets a client header replace the account’s credential or the content headers', () => {
      const sneaky = [
        { name: 'openai-beta', value: 'assistants=v2' },
        { name: 'authorization', value: 'Bearer client-key' },
        { name: 'content-type', value: 'text/plain' },
      ];
      const exchange = planExchange(withHeaders(ClientFormat.CLIENT_FORMAT_OPENAI, 'openai', openAiBody, sneaky), false);
      expect(exchange.request.headers).toMatchObject({ 'openai-beta': 'assistants=v2', authorization: 'Bearer sk-1', 'content-type': 'application/json' });
      expect(exchange.droppedFields).toEqual([]);
    });
  });

  it('frames a Gemini client stream as one JSON array when asked, translated or passed through', () => {
    const geminiBody = { contents: [{ parts: [{ text: 'Hi' }] }] };
    const asArray = (providerKind: string) =>
      planExchange(InvokeRequest.fromPartial({ ...invokeRequest(ClientFormat.CLIENT_FORMAT_GEMINI, providerKind, geminiBody), streamFraming: StreamFraming.STREAM_FRAMING_JSON_ARRAY }), true).openStream();
    const translated = asArray('openai');
    const chunk = (o: unknown) => ({ event: 'message', data: JSON.stringify(o) });
    let text = translated.begin();
    text += translated.push(chunk({ model: 'm', choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] }));
    text += translated.push(chunk({ model: 'm', choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }] }));
    text += translated.push({ event: 'message', data: '[DONE]' });
    text += translated.end();
    const elements = JSON.parse(text) as Array<{ candidates: Array<{ content?: { parts: Array<{ text: string }> }; finishReason?: string }> }>;
    expect(elements.map((e) => e.candidates[0]?.content?.parts[0]?.text ?? e.candidates[0]?.finishReason)).toEqual(['Hel', 'lo', 'STOP']);

    const passed = asArray('gemini');
    const answer = { candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: 'STOP' }] };
    const first = passed.push(chunk({ candidates: [{ content: { role: 'model', parts: [{ text: 'H' }] } }] }));
    expect(first.startsWith('[')).toBe(true);
    const broken = first + passed.fail({ status: 503, message: 'gone' });
    expect(JSON.parse(broken)).toEqual([{ candidates: [{ content: { role: 'model', parts: [{ text: 'H' }] } }] }, { error: { code: 503, message: 'gone', status: 'UNAVAILABLE' } }]);
    const whole = asArray('gemini');
    expect(JSON.parse(whole.push(chunk(answer)) + whole.end())).toEqual([answer]);
  });
});
