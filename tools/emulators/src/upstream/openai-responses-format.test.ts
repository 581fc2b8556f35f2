import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedReasoning } from './openai-responses-reasoning.js';
import { composeReplyText } from './reply.js';
import { composeThinking } from './thinking.js';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';

let emu: UpstreamEmulator;
beforeAll(async () => {
  emu = await startUpstreamEmulator();
});
afterAll(() => emu.close());

type Json = Record<string, any>;

function post(body: unknown, path = '/v1/responses'): Promise<Response> {
  return fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' }, body: JSON.stringify(body) });
}

async function refusal(body: unknown): Promise<{ status: number; error: Json }> {
  const res = await post(body);
  return { status: res.status, error: ((await res.json()) as Json).error };
}

/** `event:` names and data of an SSE body. */
function events(text: string): Array<{ event: string; data: Json }> {
  return text
    .split('\n\n')
    .filter((e) => e !== '')
    .map((raw) => {
      const [event, data] = raw.split('\n');
      return { event: (event ?? '').slice(7), data: JSON.parse((data ?? '').slice(6)) as Json };
    });
}

const MODEL = 'gpt-5.1-codex';

describe('OpenAI Responses API', () => {
  it('answers a whole response with usage, under /v1 and the GLM base path', async () => {
    for (const path of ['/v1/responses', '/api/paas/v4/responses']) {
      const res = await post({ model: MODEL, instructions: 'be brief', input: 'say hello' }, path);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Json;
      expect(body).toMatchObject({ object: 'response', status: 'completed', model: MODEL, instructions: 'be brief', error: null, incomplete_details: null });
      expect(body.id).toMatch(/^resp_/);
      expect(body.output).toEqual([
        { id: expect.stringMatching(/^msg_/), type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', annotations: [], logprobs: [], text: composeReplyText(MODEL, 'say hello') }] },
      ]);
      expect(body.usage).toEqual({ input_tokens: 4, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 9 });
    }
  });

  it('streams typed events in OpenAI order, numbered from 0', async () => {
    const res = await post({ model: MODEL, input: 'say hello', stream: true, reasoning: { effort: 'low', summary: 'auto' }, include: ['reasoning.encrypted_content'] });
    const list = events(await res.text());
    expect(list.map((e) => e.data.sequence_number)).toEqual(list.map((_, i) => i));
    for (const e of list) expect(e.data.type).toBe(e.event);
    const order = [...new Set(list.map((e) => e.event))];
    expect(order).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.completed',
    ]);
    const thinking = composeThinking('say hello', { kind: 'text' });
    const final = list.at(-1)?.data.response as Json;
    expect(final.output[0]).toEqual({ id: expect.stringMatching(/^rs_/), type: 'reasoning', summary: [{ type: 'summary_text', text: thinking.text }], encrypted_content: encryptedReasoning(thinking.text) });
    expect(final.usage.output_tokens_details.reasoning_tokens).toBe(thinking.tokens);
    expect(list[0]?.data.response).toMatchObject({ status: 'in_progress', output: [], usage: null, id: final.id });
  });

  it('calls a function with the flat tool shape, and takes its output back by call_id', async () => {
    const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }, strict: true }];
    const first = (await (await post({ model: MODEL, input: 'weather?', tools })).json()) as Json;
    const call = first.output[0];
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: '{"city":"city-value"}', status: 'completed' });
    const input = [{ role: 'user', content: 'weather?' }, call, { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }];
    const second = (await (await post({ model: MODEL, input, tools })).json()) as Json;
    expect(second.output[0].content[0].text).toBe('Tool get_weather returned: sunny');
  });

  it('calls a tool whose strict is omitted even when strict mode could not take its schema (best-effort)', async () => {
    const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const res = await post({ model: MODEL, input: 'weather?', tools });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).output[0]).toMatchObject({ type: 'function_call', name: 'get_weather' });
  });

  it('calls a function of a namespace tool by its name with its namespace beside it, and reads its output back', async () => {
    const spawn = { type: 'function', name: 'spawn_agent', parameters: { type: 'object', properties: { task: { type: 'string' } }, required: ['task'] } };
    const tools = [{ type: 'function', name: 'exec', parameters: { type: 'object' } }, { type: 'namespace', name: 'agents', description: 'Sub-agents', tools: [spawn] }];
    const first = (await (await post({ model: MODEL, input: 'go [emu tool=agents__spawn_agent]', tools })).json()) as Json;
    const call = first.output[0];
    expect(call).toMatchObject({ type: 'function_call', name: 'spawn_agent', namespace: 'agents', status: 'completed' });
    expect(JSON.parse(call.arguments)).toEqual({ task: expect.any(String) });
    const input = [{ role: 'user', content: 'go' }, call, { type: 'function_call_output', call_id: call.call_id, output: 'started' }];
    const second = (await (await post({ model: MODEL, input, tools })).json()) as Json;
    expect(second.output[0].content[0].text).toBe('Tool agents__spawn_agent returned: started');
  });

  it('continues a kept response by previous_response_id, and refuses one it did not keep', async () => {
    const first = (await (await post({ model: MODEL, input: 'weather?', tools: [{ type: 'function', name: 'f', strict: false, parameters: { type: 'object' } }] })).json()) as Json;
    const callId = first.output[0].call_id;
    const next = await post({ model: MODEL, previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: callId, output: 'done' }] });
    expect(next.status).toBe(200);
    expect(((await next.json()) as Json).output[0].content[0].text).toBe('Tool f returned: done');

    const unstored = (await (await post({ model: MODEL, input: 'hi', store: false })).json()) as Json;
    for (const id of ['resp_unknown', unstored.id]) {
      expect(await refusal({ model: MODEL, previous_response_id: id, input: 'again' })).toEqual({
        status: 400,
        error: { message: `Previous response with id '${id}' not found.`, type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' },
      });
    }
  });

  it('refuses what OpenAI refuses', async () => {
    expect(await refusal({ model: MODEL, input: [{ type: 'bogus' }] })).toMatchObject({ status: 400, error: { param: 'input[0].type', code: 'invalid_value' } });
    expect(await refusal({ model: MODEL, input: [{ type: 'function_call_output', call_id: 'call_x', output: 'x' }] })).toMatchObject({
      status: 400,
      error: { message: 'No tool call found for function call output with call_id call_x.' },
    });
    // The Chat Completions tool shape has no top-level name.
    expect(await refusal({ model: MODEL, input: 'hi', tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] })).toMatchObject({
      status: 400,
      error: { message: "Missing required parameter: 'tools[0].name'.", param: 'tools[0].name' },
    });
    // A tool that asks for strict mode must give it closed objects.
    expect(await refusal({ model: MODEL, input: 'hi', tools: [{ type: 'function', name: 'f', strict: true, parameters: { type: 'object', properties: { a: { type: 'string' } } } }] })).toMatchObject({
      status: 400,
      error: { param: 'tools[0].parameters' },
    });
    expect(await refusal({ model: MODEL, input: 'hi', max_output_tokens: 3 })).toMatchObject({ status: 400, error: { param: 'max_output_tokens', code: 'integer_below_min_value' } });
    expect(await refusal({ model: 'gpt-4o', input: 'hi', reasoning: { effort: 'low' } })).toMatchObject({ status: 400, error: { param: 'reasoning.effort' } });
    expect(await refusal({ model: 'gpt-4o', input: 'hi', include: ['reasoning.encrypted_content'] })).toMatchObject({
      status: 400,
      error: { message: 'Encrypted content is not supported with this model.', param: 'include' },
    });
    expect(await refusal({ model: MODEL, input: [{ role: 'assistant', content: [{ type: 'input_text', text: 'x' }] }] })).toMatchObject({ status: 400, error: { param: 'input[0].content[0].type' } });
    expect(await refusal({ model: MODEL, input: [{ type: 'reasoning', summary: [], encrypted_content: 'EqQBCkYIBxgCKkB' }] })).toMatchObject({ status: 400, error: { code: 'invalid_encrypted_content' } });
    expect(await refusal({ model: MODEL, input: [{ type: 'reasoning', id: 'rs_1', summary: [] }], store: false })).toMatchObject({ status: 404, error: { message: expect.stringMatching(/^Item with id 'rs_1' not found/) } });
    expect(await refusal({ model: MODEL, input: 'hi', text: { format: { type: 'json_object' } } })).toMatchObject({ status: 400, error: { param: 'input' } });
  });

  it('takes back its own encrypted reasoning', async () => {
    const item = { type: 'reasoning', summary: [], encrypted_content: encryptedReasoning('thought') };
    expect((await post({ model: MODEL, input: [{ role: 'user', content: 'hi' }, item, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'again' }] })).status).toBe(200);
  });

  it('answers structured output with text.format, and stops at max_output_tokens as incomplete', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const structured = (await (await post({ model: MODEL, input: 'city?', text: { format: { type: 'json_schema', name: 'c', schema, strict: true } } })).json()) as Json;
    expect(Object.keys(JSON.parse(structured.output[0].content[0].text))).toEqual(['city']);
    const long = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen';
    const cut = (await (await post({ model: MODEL, input: long, max_output_tokens: 16 })).json()) as Json;
    expect(cut).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { output_tokens: 16 } });
  });

  it('fails mid-stream with response.failed, as OpenAI does', async () => {
    const list = events(await (await post({ model: MODEL, input: 'hi [emu stream_error=500]', stream: true })).text());
    const last = list.at(-1);
    expect(last?.event).toBe('response.failed');
    expect(last?.data).toMatchObject({ sequence_number: list.length - 1, response: { status: 'failed', error: { code: 'server_error', message: expect.any(String) } } });
  });
});
