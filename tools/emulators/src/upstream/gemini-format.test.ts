import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeReplyText } from './reply.js';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';
import { parseSse } from './wire-clients.js';

let emu: UpstreamEmulator;
beforeAll(async () => {
  emu = await startUpstreamEmulator();
});
afterAll(() => emu.close());

const MODEL = 'gemini-2.5-flash';
const request = {
  systemInstruction: { parts: [{ text: 'you are terse' }] },
  contents: [
    { role: 'user', parts: [{ text: 'tell me' }] },
    { role: 'model', parts: [{ text: 'ok' }] },
    { role: 'user', parts: [{ text: 'hello gemini' }] },
  ],
};

function post(method: string, body: unknown, headers: Record<string, string> = { 'x-goog-api-key': 'AIza-1' }): Promise<Response> {
  return fetch(`${emu.url}/v1beta/models/${MODEL}:${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('Gemini API', () => {
  it('answers generateContent with candidates, usage, modelVersion and responseId', async () => {
    const res = await post('generateContent', request);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      candidates: [{ content: { parts: [{ text: 'Hello from gemini-2.5-flash: hello gemini' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 5, totalTokenCount: 13 },
      modelVersion: MODEL,
      responseId: expect.any(String),
    });
  });

  it('streams CRLF-framed chunks with cumulative usage in each', async () => {
    const res = await post('streamGenerateContent?alt=sse', request);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const chunks = parseSse(await res.text(), true).map((e) => JSON.parse(e.data) as Record<string, any>);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe(composeReplyText(MODEL, 'hello gemini'));
    const counts = chunks.map((c) => c.usageMetadata.candidatesTokenCount as number);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    for (const c of chunks.slice(0, -1)) expect(c.candidates[0].finishReason).toBeUndefined();
    expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 5, totalTokenCount: 13 } });
  });

  it('takes the key from ?key= and the model from the path', async () => {
    emu.clearRequests();
    const res = await fetch(`${emu.url}/v1beta/models/${MODEL}:generateContent?key=AIza-q`, { method: 'POST', body: JSON.stringify(request) });
    expect(res.status).toBe(200);
    expect(emu.requests()).toEqual([expect.objectContaining({ format: 'gemini', model: MODEL, credential: 'AIza-q', path: `/v1beta/models/${MODEL}:generateContent`, stream: false })]);
  });

  it('reports MAX_TOKENS', async () => {
    const body = (await (await post('generateContent', { ...request, generationConfig: { maxOutputTokens: 1 } })).json()) as Record<string, any>;
    expect(body.candidates[0]).toMatchObject({ content: { parts: [{ text: 'Hello' }] }, finishReason: 'MAX_TOKENS' });
  });

  it('answers errors as {error:{code,message,status}}', async () => {
    const noKey = await post('generateContent', request, {});
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as any).error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', message: expect.stringMatching(/API key/) });
    const empty = await post('generateContent', { contents: [] });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as any).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    const limited = await post('generateContent', request, { 'x-goog-api-key': 'k', 'x-emu-status': '429', 'x-emu-retry-after': '9' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('9');
    expect(await limited.json()).toEqual({ error: { code: 429, message: expect.any(String), status: 'RESOURCE_EXHAUSTED' } });
    const noSse = await post('streamGenerateContent', request);
    expect(noSse.status).toBe(404);
  });

  it('fails mid-stream with an error chunk', async () => {
    const text = await (await post('streamGenerateContent?alt=sse', { contents: [{ parts: [{ text: 'a b c d e f [emu stream_error=503]' }] }] })).text();
    const last = parseSse(text, true).at(-1);
    expect(JSON.parse(last?.data ?? '')).toEqual({ error: { code: 503, message: expect.any(String), status: 'UNAVAILABLE' } });
  });
});
