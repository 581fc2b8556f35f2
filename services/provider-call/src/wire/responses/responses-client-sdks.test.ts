import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IrResponse, IrStreamEvent } from '../../ir/chat-ir.js';
import { responsesClient } from './responses-client.js';

// The codec against the clients' own parsers: the openai SDK (responses.create, responses.stream with its
// ResponseStream accumulator) and the AI SDK's Responses model send their real requests to a local server
// that decodes them with the codec and answers with its encoders. What each answers is chosen by the last
// user text: `plain`, `tool`, `json`, `break` (a stream that fails after it began).

const usage = { inputTokens: 11, outputTokens: 7, cachedInputTokens: 3, reasoningTokens: 2 };

function scenario(word: string): { events: IrStreamEvent[]; fail?: string } {
  switch (word) {
    case 'tool':
      return {
        events: [
          { type: 'reasoning', text: 'Need the weather.' },
          { type: 'reasoning_end', signature: 'SIG' },
          { type: 'tool_call_start', index: 0, id: 'call_w', name: 'weather' },
          { type: 'tool_call_delta', index: 0, arguments: '{"ci' },
          { type: 'tool_call_delta', index: 0, arguments: 'ty":"Paris"}' },
          { type: 'stop', reason: 'tool_use' },
        ],
      };
    case 'json':
      return { events: [{ type: 'text', text: '{"answer":' }, { type: 'text', text: '42}' }, { type: 'stop', reason: 'end_turn' }] };
    case 'break':
      return { events: [{ type: 'text', text: 'Partial' }], fail: 'upstream broke off' };
    default:
      return { events: [{ type: 'text', text: 'Hello from ' }, { type: 'text', text: 'the gateway' }, { type: 'stop', reason: 'end_turn' }] };
  }
}

/** The whole answer a scenario's events add up to. */
function whole(events: IrStreamEvent[]): IrResponse {
  const parts: IrResponse['parts'] = [];
  let stopReason: IrResponse['stopReason'] = 'end_turn';
  for (const e of events) {
    if (e.type === 'text') parts.push({ type: 'text', text: e.text });
    else if (e.type === 'reasoning') parts.push({ type: 'reasoning', text: e.text });
    else if (e.type === 'reasoning_end' && parts.at(-1)?.type === 'reasoning') (parts.at(-1) as { signature?: string }).signature = e.signature;
    else if (e.type === 'tool_call_start') parts.push({ type: 'tool_call', id: e.id, name: e.name, arguments: '' });
    else if (e.type === 'tool_call_delta') (parts.at(-1) as { arguments: string }).arguments += e.arguments;
    else if (e.type === 'stop') stopReason = e.reason;
  }
  return { parts, stopReason, usage };
}

/** Every request body the server received, decoded. */
const received: Array<ReturnType<typeof responsesClient.decodeRequest>> = [];

function answer(body: Record<string, unknown>): { stream: boolean; text: string } {
  const stream = body.stream === true;
  const decoded = responsesClient.decodeRequest(body, stream);
  received.push(decoded);
  const lastUser = decoded.ir.messages.filter((m) => m.role === 'user').at(-1)?.parts.find((p) => p.type === 'text');
  const { events, fail } = scenario(lastUser?.type === 'text' ? lastUser.text : '');
  const ctx = { requestId: 'r', model: String(body.model), responseId: 'resp_test', ...(decoded.answer ? { answer: decoded.answer } : {}) };
  if (!stream) return { stream, text: responsesClient.encodeResponse(whole(events), ctx) };
  const encoder = responsesClient.createStreamEncoder({ ...ctx, streamUsage: decoded.streamUsage });
  let text = encoder.begin();
  for (const event of [...events, { type: 'usage', usage } as const]) text += encoder.push(event);
  text += fail === undefined ? encoder.end() : encoder.fail({ status: 502, message: fail });
  return { stream, text };
}

let server: Server;
let baseURL: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const out = answer(JSON.parse(raw) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': out.stream ? 'text/event-stream' : 'application/json' });
      res.end(out.text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const weatherTool = { type: 'function' as const, name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false };

describe('the openai SDK reads what the codec writes', () => {
  const client = () => new OpenAI({ baseURL, apiKey: 'k', maxRetries: 0 });

  it('responses.create, whole: output_text and usage', async () => {
    const response = await client().responses.create({ model: 'gpt-5', input: 'plain' });
    expect([response.id, response.status, response.output_text]).toEqual(['resp_test', 'completed', 'Hello from the gateway']);
    expect(response.usage).toMatchObject({ input_tokens: 11, output_tokens: 7, input_tokens_details: { cached_tokens: 3 }, output_tokens_details: { reasoning_tokens: 2 } });
  });

  it('responses.stream: finalResponse and output_text from the accumulated events', async () => {
    const stream = client().responses.stream({ model: 'gpt-5', input: 'plain' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(deltas).toEqual(['Hello from ', 'the gateway']);
    expect([final.id, final.status, final.output_text]).toEqual(['resp_test', 'completed', 'Hello from the gateway']);
  });

  it('a streamed tool call arrives with complete arguments, its reasoning with encrypted content', async () => {
    const final = await client().responses.stream({ model: 'gpt-5', input: 'tool', tools: [weatherTool] }).finalResponse();
    const call = final.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ call_id: 'call_w', name: 'weather', arguments: '{"city":"Paris"}', status: 'completed' });
    expect(final.output[0]).toMatchObject({ type: 'reasoning', summary: [{ text: 'Need the weather.' }], encrypted_content: 'SIG' });
    // The next turn, as the SDK's user sends it: the output items, then the tool's output.
    await client().responses.create({ model: 'gpt-5', input: [{ role: 'user', content: 'tool' }, ...(final.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: 'call_w', output: 'sunny' }], tools: [weatherTool] });
    expect(received.at(-1)?.ir.messages.map((m) => m.parts.map((p) => p.type))).toEqual([['text'], ['reasoning', 'tool_call'], ['tool_result']]);
  });

  it('structured output comes back as output_text that parses', async () => {
    const response = await client().responses.create({
      model: 'gpt-5', input: 'json',
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false }, strict: true } },
    });
    expect(JSON.parse(response.output_text)).toEqual({ answer: 42 });
    expect(received.at(-1)?.ir.responseFormat).toMatchObject({ type: 'json_schema', name: 'answer' });
  });

  it('a stream that broke throws, for plain iteration and for ResponseStream', async () => {
    const iterate = async () => {
      for await (const _event of await client().responses.create({ model: 'gpt-5', input: 'break', stream: true })) void _event;
    };
    await expect(iterate()).rejects.toThrow(/upstream broke off/);
    await expect(client().responses.stream({ model: 'gpt-5', input: 'break' }).finalResponse()).rejects.toThrow(/upstream broke off/);
  });
});

describe('the AI SDK’s Responses model reads what the codec writes', () => {
  const model = () => createOpenAI({ baseURL, apiKey: 'k' }).responses('gpt-5');
  const weather = tool({ description: 'Weather of a city', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) });

  it('generateText and streamText get the text and usage', async () => {
    const result = await generateText({ model: model(), prompt: 'plain' });
    expect([result.text, result.usage.inputTokens, result.usage.outputTokens]).toEqual(['Hello from the gateway', 11, 7]);
    const streamed = streamText({ model: model(), prompt: 'plain' });
    expect(await streamed.text).toBe('Hello from the gateway');
    expect(await streamed.finishReason).toBe('stop');
  });

  it('a streamed tool call reaches the tool with its whole input', async () => {
    const streamed = streamText({ model: model(), prompt: 'tool', tools: { weather } });
    expect((await streamed.toolCalls).map((c) => [c.toolName, c.input])).toEqual([['weather', { city: 'Paris' }]]);
  });

  it('a stream that broke is an error, never a clean finish', async () => {
    const errors: unknown[] = [];
    const streamed = streamText({ model: model(), prompt: 'break', onError: ({ error }) => void errors.push(error) });
    const parts: string[] = [];
    for await (const part of streamed.fullStream) parts.push(part.type);
    expect(parts).toContain('error');
    expect(errors.map((e) => JSON.stringify(e))).toEqual([expect.stringContaining('upstream broke off')]);
    expect(await streamed.finishReason).toBe('error');
  });
});
