import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';

let emu: UpstreamEmulator;
beforeAll(async () => {
  emu = await startUpstreamEmulator({ recordLimit: 1000 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.clearRequests();
  emu.clearScripts();
});

function chat(text: string, opts: { key?: string; model?: string; stream?: boolean; headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(`${emu.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.key ?? 'sk-a'}`, 'content-type': 'application/json', ...opts.headers },
    body: JSON.stringify({ model: opts.model ?? 'gpt-4o', messages: [{ role: 'user', content: text }], stream: opts.stream === true }),
  });
}

/** Raw body bytes received and whether the body ended cleanly (node:http, to see a cut body exactly). */
function rawPost(path: string, body: unknown): Promise<{ status: number; bytes: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${emu.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer sk-raw', connection: 'close' } }, (res) => {
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

describe('steering', () => {
  it('by request headers: status, Retry-After, delay', async () => {
    const started = Date.now();
    const res = await chat('hi', { headers: { 'x-emu-status': '503', 'x-emu-retry-after': '2', 'x-emu-delay-ms': '60' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(((await res.json()) as any).error.type).toBe('server_error');
  });

  it('by a directive in the last user message', async () => {
    const res = await chat('please fail [emu status=429 retry_after=5]');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('5');
    const stream = await chat('go [emu chunks=7 chunk_delay_ms=5]', { stream: true });
    const events = (await stream.text()).split('\n\n').filter((e) => e !== '');
    expect(events).toHaveLength(1 + 7 + 1 + 1); // role, 7 deltas, finish, [DONE]
  });

  it('by a quota_reset directive: Google’s quota error on Google formats, 429 with Retry-After elsewhere', async () => {
    const before = Date.now();
    const google = await fetch(`${emu.url}/v1beta/models/gemini-2.5-pro:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'AIza-quota', 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi [emu quota_reset=3600]' }] }] }),
    });
    expect(google.status).toBe(429);
    const error = ((await google.json()) as { error: { status: string; details: { '@type': string; retryDelay?: string; metadata?: Record<string, string> }[] } }).error;
    expect(error.status).toBe('RESOURCE_EXHAUSTED');
    const info = error.details.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.ErrorInfo');
    expect(info?.metadata?.quotaResetDelay).toBe('3600s');
    const resetAt = Date.parse(info?.metadata?.quotaResetTimeStamp ?? '');
    expect(resetAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3_600_000);
    expect(resetAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(error.details.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.RetryInfo')?.retryDelay).toBe('3600s');

    const openai = await chat('hi [emu quota_reset=60]');
    expect(openai.status).toBe(429);
    expect(openai.headers.get('retry-after')).toBe('60');
  });

  it('headers override directives', async () => {
    const res = await chat('x [emu status=500]', { headers: { 'x-emu-status': '200' } });
    expect(res.status).toBe(200);
  });

  it('by scripted rules matching credential and model, expiring after `times`', async () => {
    emu.script({ match: { credential: 'sk-b', model: 'gpt-4o' }, status: 429, retryAfterSeconds: 1, times: 2 });
    expect((await chat('x', { key: 'sk-a' })).status).toBe(200);
    expect((await chat('x', { key: 'sk-b', model: 'other' })).status).toBe(200);
    expect((await chat('x', { key: 'sk-b' })).status).toBe(429);
    expect((await chat('x', { key: 'sk-b' })).status).toBe(429);
    expect((await chat('x', { key: 'sk-b' })).status).toBe(200);
  });

  it('by scripted rules over HTTP', async () => {
    const add = await fetch(`${emu.url}/_emu/script`, {
      method: 'POST',
      body: JSON.stringify([{ match: { path: '/v1/chat/completions' }, status: 500 }]),
    });
    expect(add.status).toBe(201);
    expect(((await (await fetch(`${emu.url}/_emu/script`)).json()) as unknown[]).length).toBe(1);
    expect((await chat('x')).status).toBe(500);
    expect((await fetch(`${emu.url}/_emu/script`, { method: 'DELETE' })).status).toBe(204);
    expect((await chat('x')).status).toBe(200);
    const bad = await fetch(`${emu.url}/_emu/script`, { method: 'POST', body: JSON.stringify({ status: 'x' }) });
    expect(bad.status).toBe(400);
  });
});

describe('a silent stream', () => {
  it('pauses after the given number of events, then goes on to a clean end', async () => {
    const response = await chat('think [emu chunks=4 pause_after=2 pause_ms=300]', { stream: true });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const arrivals: Array<{ at: number; events: number }> = [];
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      arrivals.push({ at: performance.now(), events: text.split('\n\n').length - 1 });
    }
    // Some read saw at most two events, and the next one came after the silence.
    const gap = arrivals.findIndex((a, i) => i > 0 && a.at - (arrivals[i - 1]?.at ?? 0) >= 250);
    expect(gap).toBeGreaterThan(0);
    expect(arrivals[gap - 1]?.events).toBe(2);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });
});

describe('die after bytes', () => {
  const body = (text: string, stream = false): unknown => ({ model: 'gpt-4o', messages: [{ role: 'user', content: text }], stream });

  it('cuts a JSON body and drops the connection', async () => {
    expect(await rawPost('/v1/chat/completions', body('hi [emu die_after_bytes=20]'))).toEqual({ status: 200, bytes: 20, complete: false });
    expect(await rawPost('/v1/chat/completions', body('hi [emu die_after_bytes=0]'))).toEqual({ status: 200, bytes: 0, complete: false });
  });

  it('cuts an SSE stream mid-event', async () => {
    const result = await rawPost('/v1/chat/completions', body('hi [emu die_after_bytes=300 chunk_delay_ms=1]', true));
    expect(result).toEqual({ status: 200, bytes: 300, complete: false });
  });

  it('makes fetch fail reading the body', async () => {
    const res = await chat('hi [emu die_after_bytes=10]', { stream: true });
    await expect(res.text()).rejects.toThrow();
  });

  it('delivers the whole body when the limit is not reached', async () => {
    const result = await rawPost('/v1/chat/completions', body('hi [emu die_after_bytes=100000]'));
    expect(result.complete).toBe(true);
  });
});

describe('recording', () => {
  it('records format, model, credential, proxy mark, stream and status', async () => {
    await chat('a', { key: 'sk-rec', headers: { 'x-emu-via-proxy': 'proxy-9' } });
    await chat('b [emu status=502]', { key: 'sk-rec', stream: true });
    const recorded = emu.requests();
    expect(recorded).toEqual([
      expect.objectContaining({ method: 'POST', path: '/v1/chat/completions', format: 'openai', model: 'gpt-4o', credential: 'sk-rec', viaProxy: 'proxy-9', stream: false, status: 200 }),
      expect.objectContaining({ credential: 'sk-rec', stream: true, status: 502 }),
    ]);
    expect(recorded[1]?.viaProxy).toBeUndefined();
    // Behaviour headers and credentials are kept, the transport headers every request has are not.
    expect(recorded[0]?.headers).toEqual({ authorization: 'Bearer sk-rec', 'x-emu-via-proxy': 'proxy-9' });
    expect(await (await fetch(`${emu.url}/_emu/requests`)).json()).toEqual(recorded);
    await fetch(`${emu.url}/_emu/requests`, { method: 'DELETE' });
    expect(emu.requests()).toEqual([]);
  });

  it('keeps only the most recent requests', async () => {
    const small = await startUpstreamEmulator({ recordLimit: 3 });
    try {
      for (const model of ['m1', 'm2', 'm3', 'm4', 'm5']) {
        await fetch(`${small.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: 'Bearer k' },
          body: JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] }),
        });
      }
      expect(small.requests().map((r) => r.model)).toEqual(['m3', 'm4', 'm5']);
    } finally {
      await small.close();
    }
  });

  it('answers unknown paths with 404', async () => {
    expect((await fetch(`${emu.url}/v1/nothing`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('structured output', () => {
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('answers a schema it cannot satisfy with the provider’s 400, recorded as such', async () => {
    const res = await post('/v1/chat/completions', { authorization: 'Bearer sk-a' }, {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      response_format: { type: 'json_schema', json_schema: { name: 'broken', schema: { type: 'object', properties: { a: { $ref: '#/$defs/missing' } }, required: ['a'] } } },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Invalid JSON schema/);
    expect(emu.requests().map((r) => r.status)).toEqual([400]);
  });

  it('refuses a request its provider refuses, in that provider’s error shape', async () => {
    const res = await post('/v1beta/models/gemini-2.5-flash:generateContent', { 'x-goog-api-key': 'k' }, {
      contents: [{ parts: [{ text: 'hi' }] }],
      generationConfig: { responseSchema: { type: 'OBJECT' } },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { status: string; message: string } }).error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringContaining('response_mime_type') });
  });
});
