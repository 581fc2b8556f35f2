import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeReplyText } from './reply.js';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';

let emu: UpstreamEmulator;
beforeAll(async () => {
  emu = await startUpstreamEmulator({ validateBearer: (token) => token.startsWith('ya29.') });
});
afterAll(() => emu.close());

const request = {
  project: 'proj-1',
  model: 'gemini-2.5-pro',
  request: {
    systemInstruction: { role: 'user', parts: [{ text: 'you are terse' }] },
    contents: [
      { role: 'user', parts: [{ text: 'tell me' }, { text: 'something nice' }] },
      { role: 'model', parts: [{ text: 'ok' }] },
      { role: 'user', parts: [{ text: 'hello gemini' }] },
    ],
    generationConfig: { temperature: 0.2 },
  },
};

function post(path: string, body: unknown, token = 'ya29.good', headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
}

describe('Cloud Code Assist (antigravity)', () => {
  it('answers generateContent wrapped in {response, traceId}', async () => {
    const res = await post('/v1internal:generateContent', request);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(typeof body.traceId).toBe('string');
    expect(body.response).toMatchObject({
      candidates: [{ content: { role: 'model', parts: [{ text: 'Hello from gemini-2.5-pro: hello gemini' }] }, finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
      modelVersion: 'gemini-2.5-pro',
    });
  });

  it('streams CRLF-framed SSE deltas, each with the usage so far, ending with STOP and the whole usage', async () => {
    const res = await post('/v1internal:streamGenerateContent?alt=sse', request, 'ya29.good', { 'x-emu-chunks': '5' });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    expect(text.endsWith('\r\n\r\n')).toBe(true);
    const events = text
      .split('\r\n\r\n')
      .filter((e) => e !== '')
      .map((e) => {
        expect(e.startsWith('data: ')).toBe(true);
        return JSON.parse(e.slice(6)) as Record<string, any>;
      });
    expect(events).toHaveLength(5);
    expect(events.map((e) => e.response.candidates[0].content.parts[0].text).join('')).toBe(composeReplyText('gemini-2.5-pro', 'hello gemini'));
    for (const e of events.slice(0, -1)) expect(e.response.candidates[0].finishReason).toBeUndefined();
    expect(events.map((e) => e.response.usageMetadata.promptTokenCount)).toEqual([10, 10, 10, 10, 10]);
    const counts = events.map((e) => e.response.usageMetadata.candidatesTokenCount as number);
    expect(counts).toEqual([...counts].sort((a, b) => a - b)); // cumulative, as Gemini counts
    expect(counts.at(-1)).toBe(5);
    const last = events.at(-1)?.response;
    expect(last.candidates[0].finishReason).toBe('STOP');
    expect(last.usageMetadata).toEqual({ promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 });
  });

  it('reports MAX_TOKENS when maxOutputTokens cuts the reply', async () => {
    const capped = { ...request, request: { ...request.request, generationConfig: { maxOutputTokens: 3 } } };
    const text = await (await post('/v1internal:streamGenerateContent?alt=sse', capped)).text();
    const events = text.split('\r\n\r\n').filter((e) => e !== '');
    const last = JSON.parse((events.at(-1) as string).slice(6)) as Record<string, any>;
    expect(last.response.candidates[0].finishReason).toBe('MAX_TOKENS');
    expect(last.response.usageMetadata.candidatesTokenCount).toBe(3);
  });

  it('rejects tokens validateBearer refuses, in the Google error shape', async () => {
    const res = await post('/v1internal:generateContent', request, 'expired-token');
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
  });

  it('maps steered statuses to Google errors with Retry-After', async () => {
    const res = await post('/v1internal:generateContent', request, 'ya29.good', { 'x-emu-status': '429', 'x-emu-retry-after': '7' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(((await res.json()) as any).error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    const bad = await post('/v1internal:generateContent', { model: 'x', request: {} });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.status).toBe('INVALID_ARGUMENT');
  });
});
