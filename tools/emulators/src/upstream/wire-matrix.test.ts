import http from 'node:http';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeReplyText, countWords } from './reply.js';
import type { WireFormatName } from './request-log.js';
import { thinkingSignature } from './thinking.js';
import { encryptedReasoning } from './openai-responses-reasoning.js';
import { argumentsFromSchema } from './tool-arguments.js';
import { structuredAnswerText } from './structured-answer.js';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';
import { buildRequest, decodeJson, decodeStream, parseSse, type Conversation, type DecodedAnswer } from './wire-clients.js';

// The same conversations in all four wire formats, JSON and SSE: every answer must decode to the same
// neutral answer (text, tool call, reasoning, usage), and steering must work the same everywhere.

const FORMATS: readonly WireFormatName[] = ['openai', 'responses', 'anthropic', 'gemini', 'antigravity'];
/** A model OpenAI lists (the Responses endpoint refuses others); the other formats answer any name. */
const MODEL = 'gpt-5.1';

let emu: UpstreamEmulator;
beforeAll(async () => {
  emu = await startUpstreamEmulator({ recordLimit: 1000 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.clearRequests();
  emu.clearScripts();
});

const schema = {
  type: 'object',
  properties: {
    city: { type: 'string', description: 'City name' },
    days: { type: 'integer' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    options: { type: 'object', properties: { hourly: { type: 'boolean' }, fields: { type: 'array', items: { type: 'string' } } } },
  },
  required: ['city', 'days', 'unit', 'options'],
};
const tools = [
  { name: 'get_weather', parameters: schema },
  { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } },
];
const base: Conversation = { model: MODEL, system: 'be brief', user: 'what is the weather in Paris', stream: false };

function send(format: WireFormatName, c: Conversation, credential = 'cred-1', headers: Record<string, string> = {}): Promise<Response> {
  const r = buildRequest(format, c, credential);
  return fetch(`${emu.url}${r.path}`, { method: 'POST', headers: { ...r.headers, ...headers }, body: JSON.stringify(r.body) });
}

async function answer(format: WireFormatName, c: Conversation): Promise<DecodedAnswer> {
  const res = await send(format, c);
  expect(res.status).toBe(200);
  return c.stream ? decodeStream(format, await res.text()) : decodeJson(format, await res.json());
}

/** JSON and SSE answers in every format, checked equal to each other; returns the common answer. */
async function sameEverywhere(c: Conversation): Promise<DecodedAnswer> {
  const all: Array<[string, DecodedAnswer]> = [];
  for (const format of FORMATS) {
    for (const stream of [false, true]) all.push([`${format}${stream ? ' sse' : ''}`, await answer(format, { ...c, stream })]);
  }
  const neutral = ({ finish: _finish, signature: _signature, ...rest }: DecodedAnswer) => rest;
  const first = neutral(all[0]?.[1] as DecodedAnswer);
  for (const [name, a] of all) expect(neutral(a), name).toEqual(first);
  return all[0]?.[1] as DecodedAnswer;
}

const FINISH: Record<WireFormatName, { stop: string; tool: string }> = {
  openai: { stop: 'stop', tool: 'tool_calls' },
  responses: { stop: 'completed', tool: 'completed' },
  anthropic: { stop: 'end_turn', tool: 'tool_use' },
  gemini: { stop: 'STOP', tool: 'STOP' },
  antigravity: { stop: 'STOP', tool: 'STOP' },
};

const inputWords = countWords('be brief') + countWords('what is the weather in Paris');

describe('every format answers the same', () => {
  it('text', async () => {
    const text = composeReplyText(MODEL, base.user);
    expect(await sameEverywhere(base)).toEqual({ text, thinking: '', finish: 'stop', usage: { input: inputWords, cached: 0, output: countWords(text) } });
  });

  it('a call of the first declared tool, arguments from its schema', async () => {
    const a = await sameEverywhere({ ...base, tools });
    expect(a.text).toBe('');
    expect(a.toolCall).toEqual({ name: 'get_weather', args: argumentsFromSchema(schema) });
    expect(a.toolCall?.args).toEqual({ city: 'city-value', days: 42, unit: 'celsius', options: { hourly: true, fields: ['fields-value'] } });
  });

  it('text once the conversation ends with the tool result', async () => {
    const a = await sameEverywhere({ ...base, tools, toolResult: { name: 'get_weather', result: 'sunny and warm' } });
    expect(a.toolCall).toBeUndefined();
    expect(a.text).toBe('Tool get_weather returned: sunny and warm');
    expect(a.usage.input).toBe(inputWords + 3);
  });

  it('text when [emu tool=none], another tool when [emu tool=<name>]', async () => {
    expect((await sameEverywhere({ ...base, tools, user: 'hi [emu tool=none]' })).text).toBe(`Hello from ${MODEL}: hi`);
    expect((await sameEverywhere({ ...base, tools, user: 'hi [emu tool=get_time]' })).toolCall).toEqual({ name: 'get_time', args: { zone: 'zone-value' } });
  });

  it('reasoning first, when the request enables it or the directive asks', async () => {
    const a = await sameEverywhere({ ...base, thinking: true });
    expect(a.thinking).toBe('The user wrote: what is the weather in Paris. I should answer with a greeting that echoes it.');
    expect(a.text).toBe(composeReplyText(MODEL, base.user));
    expect(a.usage.output).toBe(countWords(a.text) + countWords(a.thinking));
    const withTool = await sameEverywhere({ ...base, tools, user: 'weather [emu thinking=on]' });
    expect(withTool.thinking).toContain('call the tool get_weather');
    expect(withTool.toolCall?.name).toBe('get_weather');
  });

  it('cached input tokens', async () => {
    const a = await sameEverywhere({ ...base, user: 'hello [emu cached=40]' });
    expect(a.usage).toEqual({ input: countWords('be brief hello [emu cached=40]'), cached: 40, output: 4 });
  });

  it('images, marked in the reply', async () => {
    const a = await sameEverywhere({ ...base, user: 'what is this', images: ['data', 'url'] });
    expect(a.text).toBe(`Hello from ${MODEL}: what is this [2 images]`);
  });

  it('structured output: one JSON document valid against the requested schema, whole and streamed', async () => {
    const forecast = {
      type: 'object',
      properties: {
        city: { type: 'string' },
        days: { type: 'integer' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        hours: { type: 'array', items: { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, rain: { type: ['number', 'null'] } }, required: ['at', 'rain'], additionalProperties: false } },
      },
      required: ['city', 'days', 'unit', 'hours'],
      additionalProperties: false,
    };
    const a = await sameEverywhere({ ...base, schema: forecast });
    expect(a.text).toBe(structuredAnswerText({ type: 'json_schema', schema: forecast }, ''));
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(forecast);
    expect(validate(JSON.parse(a.text)), JSON.stringify(validate.errors)).toBe(true);
    expect(a.usage.output).toBe(countWords(a.text));
    for (const format of FORMATS) expect(emu.requests().filter((r) => r.format === format).map((r) => r.responseFormat)).toContainEqual({ type: 'json_schema', schema: forecast });
  });

  it('structured output after a tool round trip', async () => {
    const small = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false };
    const a = await sameEverywhere({ ...base, tools, toolResult: { name: 'get_weather', result: 'sunny' }, schema: small });
    expect(JSON.parse(a.text)).toEqual(JSON.parse(structuredAnswerText({ type: 'json_schema', schema: small }, '')));
  });
});

describe.each(FORMATS)('%s', (format) => {
  it('finish reasons and signatures in the format’s own words', async () => {
    expect((await answer(format, base)).finish).toBe(FINISH[format].stop);
    expect((await answer(format, { ...base, tools, stream: true })).finish).toBe(FINISH[format].tool);
    const thought = await answer(format, { ...base, thinking: true, stream: true });
    if (format === 'openai') expect(thought.signature).toBeUndefined();
    else if (format === 'responses') expect(thought.signature).toBe(encryptedReasoning(thought.thinking));
    else expect(thought.signature).toBe(thinkingSignature(thought.thinking));
  });

  it('streams text and tool arguments in several fragments', async () => {
    const text = await (await send(format, { ...base, tools, stream: true })).text();
    const fragments = { openai: /"arguments":"[^"]/g, responses: /"response\.function_call_arguments\.delta"/g, anthropic: /"input_json_delta","partial_json":"[^"]/g, gemini: /"functionCall"/g, antigravity: /"functionCall"/g }[format];
    const expected = format === 'gemini' || format === 'antigravity' ? 1 : 3; // Google sends the call whole
    expect((text.match(fragments) ?? []).length).toBeGreaterThanOrEqual(expected);
    const plain = await (await send(format, { ...base, user: 'one two three four five six seven eight nine', stream: true })).text();
    // 12 words in groups of 3: at least 4 text events, whatever the format's framing events.
    expect(parseSse(plain, format === 'gemini' || format === 'antigravity').length).toBeGreaterThanOrEqual(4);
  });

  it('reports cached tokens in the format’s own field', async () => {
    const res = await send(format, { ...base, user: 'hello [emu cached=40]' });
    const body = (await res.json()) as Record<string, any>;
    const native = {
      openai: () => expect(body.usage).toMatchObject({ prompt_tokens: 45, prompt_tokens_details: { cached_tokens: 40 } }),
      responses: () => expect(body.usage).toMatchObject({ input_tokens: 45, input_tokens_details: { cached_tokens: 40 } }),
      anthropic: () => expect(body.usage).toMatchObject({ input_tokens: 5, cache_read_input_tokens: 40 }),
      gemini: () => expect(body.usageMetadata).toMatchObject({ promptTokenCount: 45, cachedContentTokenCount: 40 }),
      antigravity: () => expect(body.response.usageMetadata).toMatchObject({ promptTokenCount: 45, cachedContentTokenCount: 40 }),
    };
    native[format]();
  });

  it('is steered by status, Retry-After and delay, and recorded', async () => {
    const started = Date.now();
    const res = await send(format, { ...base, user: 'x [emu status=503 retry_after=3]' }, 'cred-1', { 'x-emu-delay-ms': '40' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(JSON.stringify(await res.json())).toMatch(/error/);
    expect(emu.requests()).toEqual([expect.objectContaining({ format, model: MODEL, credential: 'cred-1', status: 503 })]);
  });

  it('is steered by scripted rules matching the credential', async () => {
    emu.script({ match: { credential: 'cred-scripted' }, status: 429, times: 1 });
    expect((await send(format, base, 'cred-other')).status).toBe(200);
    expect((await send(format, base, 'cred-scripted')).status).toBe(429);
    expect((await send(format, base, 'cred-scripted')).status).toBe(200);
  });

  it('drops the connection after die_after_bytes (JSON and SSE)', async () => {
    for (const stream of [false, true]) {
      const r = buildRequest(format, { ...base, user: 'x [emu die_after_bytes=50]', stream }, 'cred-1');
      expect(await rawPost(r.path, r.headers, r.body)).toEqual({ status: 200, bytes: 50, complete: false });
    }
  });

  it('ends a stream with its in-stream error on stream_error', async () => {
    const text = await (await send(format, { ...base, user: 'x [emu stream_error=500]', stream: true })).text();
    const last = parseSse(text, format === 'gemini' || format === 'antigravity').at(-1);
    const data = JSON.parse(last?.data ?? '');
    // The Responses API ends a failed stream with response.failed, its error inside the response.
    expect(format === 'responses' ? data.response.error : data.error).toMatchObject({ message: expect.any(String) });
    expect(() => decodeStream(format, text)).toThrow();
  });
});

/** Raw body bytes received and whether the body ended cleanly. */
function rawPost(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; bytes: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${emu.url}${path}`, { method: 'POST', headers: { ...headers, connection: 'close' } }, (res) => {
      let bytes = 0;
      let complete = false;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => (complete = true));
      res.on('error', () => undefined);
      res.on('close', () => resolve({ status: res.statusCode ?? 0, bytes, complete }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
