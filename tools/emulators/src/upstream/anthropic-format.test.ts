import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeReplyText } from './reply.js';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';
import { parseSse } from './wire-clients.js';

let emu: UpstreamEmulator;
beforeAll(async () => {
  emu = await startUpstreamEmulator();
});
afterAll(() => emu.close());

const HEADERS = { 'content-type': 'application/json', 'x-api-key': 'sk-ant-1', 'anthropic-version': '2023-06-01' };

function post(body: unknown, headers: Record<string, string> = HEADERS): Promise<Response> {
  return fetch(`${emu.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify(body) });
}

const request = {
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  system: 'be brief',
  messages: [
    { role: 'user', content: 'first question' },
    { role: 'assistant', content: [{ type: 'text', text: 'an answer' }] },
    { role: 'user', content: [{ type: 'text', text: 'say hello' }] },
  ],
};

/** Events of an Anthropic stream, checking the `event:` name matches the data's type. */
async function events(res: Response): Promise<Array<Record<string, any>>> {
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return parseSse(await res.text(), false).map((e) => {
    const data = JSON.parse(e.data) as Record<string, any>;
    expect(data.type).toBe(e.event);
    return data;
  });
}

describe('Anthropic Messages', () => {
  it('answers JSON with the message shape and usage', async () => {
    const res = await post(request);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hello from claude-sonnet-4-5: say hello' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 8, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 },
    });
  });

  it('streams the real event sequence', async () => {
    const list = await events(await post({ ...request, stream: true }));
    const types = list.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(types.slice(-4)).toEqual(['content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(list[0]?.message).toMatchObject({ role: 'assistant', content: [], stop_reason: null, usage: { input_tokens: 8, output_tokens: 1 } });
    expect(list[1]).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    const deltas = list.filter((e) => e.type === 'content_block_delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.delta.text).join('')).toBe(composeReplyText('claude-sonnet-4-5', 'say hello'));
    expect(list.at(-2)).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } });
  });

  it('stops at max_tokens', async () => {
    const body = (await (await post({ ...request, max_tokens: 2 })).json()) as Record<string, any>;
    expect(body).toMatchObject({ content: [{ type: 'text', text: 'Hello from' }], stop_reason: 'max_tokens', usage: { output_tokens: 2 } });
  });

  it('requires anthropic-version and x-api-key, in the Anthropic error shape', async () => {
    const noVersion = await post(request, { 'x-api-key': 'k' });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/anthropic-version/) } });
    const noKey = await post(request, { 'anthropic-version': '2023-06-01' });
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as any).error.type).toBe('authentication_error');
    const bearerOnly = await post(request, { authorization: 'Bearer k', 'anthropic-version': '2023-06-01' });
    expect(bearerOnly.status).toBe(401);
    const noMax = await post({ ...request, max_tokens: undefined });
    expect(noMax.status).toBe(400);
    expect(((await noMax.json()) as any).error.message).toBe('max_tokens: Field required');
  });

  it('names each steered status with its Anthropic error type', async () => {
    const cases: Array<[number, string]> = [
      [400, 'invalid_request_error'],
      [403, 'permission_error'],
      [404, 'not_found_error'],
      [413, 'request_too_large'],
      [429, 'rate_limit_error'],
      [500, 'api_error'],
      [503, 'api_error'],
      [529, 'overloaded_error'],
    ];
    for (const [status, type] of cases) {
      const res = await post(request, { ...HEADERS, 'x-emu-status': String(status), 'x-emu-retry-after': '4' });
      expect(res.status).toBe(status);
      expect(res.headers.get('retry-after')).toBe('4');
      expect(await res.json()).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
    }
  });

  it('fails mid-stream with an `event: error`', async () => {
    const text = await (await post({ ...request, stream: true, messages: [{ role: 'user', content: 'a b c d e f g [emu stream_error=529]' }] })).text();
    const list = parseSse(text, false);
    expect(list[0]?.event).toBe('message_start');
    expect(list.at(-1)).toEqual({ event: 'error', data: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) });
    expect(list.some((e) => e.event === 'message_stop')).toBe(false);
  });

  it('records the format, model and key', async () => {
    emu.clearRequests();
    await post(request);
    expect(emu.requests()).toEqual([expect.objectContaining({ format: 'anthropic', model: 'claude-sonnet-4-5', credential: 'sk-ant-1', path: '/v1/messages', status: 200 })]);
  });
});
