import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeReplyText } from './reply.js';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';

let emu: UpstreamEmulator;
beforeAll(async () => {
  emu = await startUpstreamEmulator();
});
afterAll(() => emu.close());

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emu.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', ...headers },
    body: JSON.stringify(body),
  });
}

/** `data:` payloads of an SSE body, checking every event is well framed. */
function sseData(text: string): string[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .split('\n\n')
    .filter((e) => e !== '')
    .map((e) => {
      expect(e.startsWith('data: ')).toBe(true);
      return e.slice(6);
    });
}

const messages = [
  { role: 'system', content: 'be brief' },
  { role: 'user', content: 'first question' },
  { role: 'assistant', content: 'an answer' },
  { role: 'user', content: [{ type: 'text', text: 'say hello' }] },
];

describe('OpenAI Chat Completions', () => {
  it('answers JSON deterministically with usage', async () => {
    const res = await post({ model: 'gpt-4o', messages });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('gpt-4o');
    expect(body.choices[0]).toMatchObject({
      index: 0,
      message: { role: 'assistant', content: 'Hello from gpt-4o: say hello' },
      finish_reason: 'stop',
    });
    expect(body.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 });
  });

  it('streams role, content deltas, finish, usage and [DONE]', async () => {
    const res = await post({ model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } }, { 'x-emu-chunks': '3' });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const data = sseData(await res.text());
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, any>);
    for (const c of chunks) expect(c).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4o', id: chunks[0]?.id });
    expect(chunks[0]?.choices[0].delta.role).toBe('assistant');
    const content = chunks.slice(1, 4).map((c) => c.choices[0].delta.content as string);
    expect(content.join('')).toBe(composeReplyText('gpt-4o', 'say hello'));
    expect(chunks[4]?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks[4]?.usage).toBeNull();
    expect(chunks[5]).toMatchObject({ choices: [], usage: { prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 } });
    expect(chunks).toHaveLength(6);
  });

  it('sends no usage chunk unless include_usage', async () => {
    const data = sseData(await (await post({ model: 'gpt-4o', messages, stream: true })).text());
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, any>);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const body = (await (await post({ model: 'gpt-4o', messages, max_tokens: 2 })).json()) as Record<string, any>;
    expect(body.choices[0]).toMatchObject({ message: { content: 'Hello from' }, finish_reason: 'length' });
    expect(body.usage.completion_tokens).toBe(2);
  });

  it('answers errors in the OpenAI shape', async () => {
    const noKey = await fetch(`${emu.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages }) });
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as any).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });

    const badJson = await fetch(`${emu.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: '{' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as any).error.message).toMatch(/JSON/);

    const noMessages = await post({ model: 'm' });
    expect(noMessages.status).toBe(400);

    const limited = await post({ model: 'm', messages }, { 'x-emu-status': '429' });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
  });
});
