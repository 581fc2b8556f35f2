import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { ClientFormat, StreamFraming, type InvokeRequest } from '@aigw/proto';
import { countResponse, defaultStream, errorResponse, fakeBackends, framerFor, okResponse } from '../../test/support/fake-backends.js';
import { fakeServerDeps, rule, TEST_KEY } from '../../test/support/fake-deps.js';
import { createServer } from '../server.js';

const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
const goog = { 'x-goog-api-key': TEST_KEY };
const generate = '/v1beta/models/gemini-2.5-flash:generateContent';
const stream = '/v1beta/models/gemini-2.5-flash:streamGenerateContent';

async function app(options: Parameters<typeof fakeServerDeps>[0] = {}) {
  const fake = await fakeServerDeps({ routes: [rule('gemini-*'), rule('gpt-*', { id: 2 })], ...options });
  return { ...fake, app: createServer(fake.deps) };
}

const geminiError = (code: number, status: string) => ({ error: { code, message: expect.any(String), status } });

describe('POST /v1beta/models/{model}:generateContent', () => {
  it('proxies the raw body with the model from the path, as a Gemini request, and logs it', async () => {
    const fake = fakeBackends({ invoke: () => okResponse({ candidates: [] }) });
    const { app: server, published } = await app({ backends: fake.backends });
    const raw = '{"contents":[{"role":"user","parts":[{"text":"hi"}]}],  "generationConfig":{"temperature":0}}';
    const res = await request(server).post(generate).set(goog).set('content-type', 'application/json').send(raw);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ candidates: [] });
    const invoke = fake.calls.invokes[0]!;
    expect([invoke.body.toString(), invoke.clientFormat, invoke.upstreamModel, invoke.stream]).toEqual([raw, ClientFormat.CLIENT_FORMAT_GEMINI, 'gemini-2.5-flash', false]);
    expect(published[0]).toMatchObject({ clientFormat: ClientFormat.CLIENT_FORMAT_GEMINI, model: 'gemini-2.5-flash', stream: false, statusCode: 200, apiKeyId: 7 });
  });

  it('takes the key from ?key=, x-goog-api-key, Bearer or x-api-key', async () => {
    const { app: server } = await app();
    await request(server).post(`${generate}?key=${TEST_KEY}`).send(body).expect(200);
    for (const headers of [goog, { authorization: `Bearer ${TEST_KEY}` }, { 'x-api-key': TEST_KEY }]) {
      await request(server).post(generate).set(headers).send(body).expect(200);
    }
  });

  it('accepts the models/ prefix forms of the model name', async () => {
    const fake = fakeBackends();
    const { app: server } = await app({ backends: fake.backends });
    await request(server).post('/v1beta/models/models/gemini-2.5-pro:generateContent').set(goog).send(body).expect(200);
    await request(server).post('/v1beta/models/models%2Fgemini-2.0-flash:generateContent').set(goog).send(body).expect(200);
    expect(fake.calls.invokes.map((r) => r.upstreamModel)).toEqual(['gemini-2.5-pro', 'gemini-2.0-flash']);
  });

  it('passes an upstream error body through with its status', async () => {
    const upstream = { error: { code: 400, message: 'bad schema', status: 'INVALID_ARGUMENT' } };
    const fake = fakeBackends({ invoke: () => okResponse(upstream, { status: 400 }) });
    const { app: server } = await app({ backends: fake.backends });
    const res = await request(server).post(generate).set(goog).send(body);
    expect([res.status, res.body]).toEqual([400, upstream]);
  });
});

describe('Gemini errors, in Gemini’s shape', () => {
  it('malformed JSON is 400 INVALID_ARGUMENT', async () => {
    const { app: server } = await app();
    const res = await request(server).post(generate).set(goog).set('content-type', 'application/json').send('{"contents":');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ error: { code: 400, message: 'request body is not valid JSON', status: 'INVALID_ARGUMENT' } });
  });

  it('a body without contents is 400 INVALID_ARGUMENT naming contents', async () => {
    const { app: server } = await app();
    for (const bad of [{}, { contents: 'hi' }, { contents: [] }, [body]]) {
      const res = await request(server).post(generate).set(goog).send(bad);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(geminiError(400, 'INVALID_ARGUMENT'));
    }
    expect((await request(server).post(generate).set(goog).send({})).body.error.message).toMatch(/contents/);
  });

  it('an unknown model is 404 NOT_FOUND', async () => {
    const { app: server, published } = await app();
    const res = await request(server).post('/v1beta/models/llama-9:generateContent').set(goog).send(body);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(geminiError(404, 'NOT_FOUND'));
    expect(res.body.error.message).toMatch(/llama-9/);
    expect(published[0]).toMatchObject({ statusCode: 404, errorClass: 'model_not_found', model: 'llama-9' });
  });

  it('a missing, unknown or revoked key is 401 UNAUTHENTICATED', async () => {
    const { app: server } = await app({
      keys: { [TEST_KEY]: { id: 7, rateLimitPerMin: null, revoked: false }, old: { id: 8, rateLimitPerMin: null, revoked: true } },
    });
    const missing = await request(server).post(generate).send(body);
    expect([missing.status, missing.body]).toEqual([401, geminiError(401, 'UNAUTHENTICATED')]);
    expect(missing.body.error.message).toMatch(/\?key=/);
    const unknown = await request(server).post(`${generate}?key=wrong`).send(body);
    expect([unknown.status, unknown.body]).toEqual([401, geminiError(401, 'UNAUTHENTICATED')]);
    const revoked = await request(server).post(generate).set('x-goog-api-key', 'old').send(body);
    expect(revoked.body.error.message).toMatch(/revoked/);
  });

  it('a provider without an active account is 404 NOT_FOUND', async () => {
    const { backends } = fakeBackends({ accounts: {} });
    const { app: server } = await app({ backends });
    const res = await request(server).post(generate).set(goog).send(body);
    expect([res.status, res.body]).toEqual([404, geminiError(404, 'NOT_FOUND')]);
  });

  it('exhausted accounts and rate limits are 429 RESOURCE_EXHAUSTED with Retry-After', async () => {
    const { backends } = fakeBackends({ accounts: {}, exhaustedError: () => new AppError('ACCOUNTS_EXHAUSTED', 'all cooling down') });
    const { app: server } = await app({ backends });
    const exhausted = await request(server).post(generate).set(goog).send(body);
    expect([exhausted.status, exhausted.body, exhausted.headers['retry-after']]).toEqual([429, geminiError(429, 'RESOURCE_EXHAUSTED'), '1']);
    const limited = await app({ keys: { [TEST_KEY]: { id: 9, rateLimitPerMin: 1, revoked: false } } });
    await request(limited.app).post(generate).set(goog).send(body).expect(200);
    const res = await request(limited.app).post(generate).set(goog).send(body);
    expect([res.status, res.body]).toEqual([429, geminiError(429, 'RESOURCE_EXHAUSTED')]);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('an unknown method, a path without one and an unknown /v1beta path are 404 NOT_FOUND', async () => {
    const { app: server } = await app();
    for (const path of ['/v1beta/models/gemini-2.5-flash:embedContent', '/v1beta/models/gemini-2.5-flash', '/v1beta/tunedModels/x:generateContent']) {
      const res = await request(server).post(path).set(goog).send(body);
      expect([res.status, res.body]).toEqual([404, geminiError(404, 'NOT_FOUND')]);
    }
  });

  it('an empty model in the path is 400 INVALID_ARGUMENT', async () => {
    const { app: server } = await app();
    const res = await request(server).post('/v1beta/models/:generateContent').set(goog).send(body);
    expect([res.status, res.body]).toEqual([400, geminiError(400, 'INVALID_ARGUMENT')]);
  });

  it('countTokens goes to provider-call through an account, never a chat call', async () => {
    const fake = fakeBackends({ countTokens: () => countResponse({ totalTokens: 3 }, { inputTokens: 3 }) });
    const { app: server, published } = await app({ backends: fake.backends });
    const res = await request(server).post('/v1beta/models/gemini-2.5-flash:countTokens').set(goog).send(body);
    expect([res.status, res.body]).toEqual([200, { totalTokens: 3 }]);
    expect(fake.calls.invokes).toHaveLength(0);
    expect(fake.calls.counts).toHaveLength(1);
    expect(published[0]).toMatchObject({ clientFormat: ClientFormat.CLIENT_FORMAT_GEMINI, statusCode: 200, errorClass: '' });
  });
});

describe('POST /v1beta/models/{model}:streamGenerateContent', () => {
  it('streams SSE with alt=sse', async () => {
    const fake = fakeBackends();
    const { app: server, published } = await app({ backends: fake.backends });
    const res = await request(server).post(`${stream}?alt=sse`).set(goog).send(body);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    expect(res.text).toBe('data: {"n":1}\n\ndata: {"n":2}\n\n');
    expect(fake.calls.invokes[0]!.streamFraming).toBe(StreamFraming.STREAM_FRAMING_SSE);
    expect(fake.calls.invokes[0]!.stream).toBe(true);
    expect(published[0]).toMatchObject({ stream: true, clientFormat: ClientFormat.CLIENT_FORMAT_GEMINI, usage: { outputTokens: 9 } });
  });

  it('streams one JSON array without alt (and with alt=json)', async () => {
    const fake = fakeBackends();
    const { app: server } = await app({ backends: fake.backends });
    for (const path of [stream, `${stream}?alt=json`]) {
      const res = await request(server).post(path).set(goog).send(body);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toEqual([{ n: 1 }, { n: 2 }]);
      // provider-call frames the array (ingress asked it to); ingress writes the bytes through unparsed.
      expect(res.text).toBe('[{"n":1}\n,\r\n{"n":2}\n]');
    }
    expect(fake.calls.invokes.map((invoke) => invoke.streamFraming)).toEqual([StreamFraming.STREAM_FRAMING_JSON_ARRAY, StreamFraming.STREAM_FRAMING_JSON_ARRAY]);
  });

  it('answers an empty stream as an empty array', async () => {
    const fake = fakeBackends({ stream: (request) => [defaultStream()[0]!, { data: Buffer.from(framerFor(request).close()) }] });
    const { app: server } = await app({ backends: fake.backends });
    const res = await request(server).post(stream).set(goog).send(body);
    expect(res.text).toBe('[]');
  });

  it('rejects another alt with 400 INVALID_ARGUMENT', async () => {
    const { app: server } = await app();
    const res = await request(server).post(`${stream}?alt=proto`).set(goog).send(body);
    expect([res.status, res.body]).toEqual([400, geminiError(400, 'INVALID_ARGUMENT')]);
  });

  it('ends a broken stream with Gemini’s error object, in either framing', async () => {
    const broken = (request: InvokeRequest) => [
      defaultStream()[0]!,
      { data: Buffer.from(framerFor(request).event('{"n":1}')) },
      { throw: new AppError('UNAVAILABLE', 'connection reset') },
    ];
    const { app: server, published } = await app({ backends: fakeBackends({ stream: broken }).backends });
    const sse = await request(server).post(`${stream}?alt=sse`).set(goog).send(body);
    expect(sse.text).toBe('data: {"n":1}\n\ndata: {"error":{"code":502,"message":"upstream stream broke off","status":"INTERNAL"}}\n\n');
    const array = await request(server).post(stream).set(goog).send(body);
    expect(array.body).toEqual([{ n: 1 }, { error: { code: 502, message: 'upstream stream broke off', status: 'INTERNAL' } }]);
    expect(published.map((e) => e.errorClass)).toEqual(['stream_broken', 'stream_broken']);
  });

  it('keeps the array valid when the gRPC stream dies after provider-call closed it', async () => {
    const closedThenBroken = (request: InvokeRequest) => {
      const framer = framerFor(request);
      return [defaultStream()[0]!, { data: Buffer.from(framer.event('{"n":1}') + framer.close()) }, { throw: new AppError('UNAVAILABLE', 'connection reset') }];
    };
    const { app: server } = await app({ backends: fakeBackends({ stream: closedThenBroken }).backends });
    const array = await request(server).post(stream).set(goog).send(body);
    expect(array.text).toBe('[{"n":1}\n]');
  });

  it('a stream refused before any data is a plain JSON error after failover', async () => {
    const upstream = { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } };
    const fake = fakeBackends({
      stream: () => [
        { start: { status: 503, proxyId: 0, upstreamLatencyMs: 1, droppedFields: [] } },
        { error: { status: 503, retryAfterMs: 0, body: Buffer.from(JSON.stringify(upstream)), errorClass: 'upstream_503' } },
      ],
    });
    const { app: server } = await app({ backends: fake.backends });
    const res = await request(server).post(`${stream}?alt=sse`).set(goog).send(body);
    expect([res.status, res.body]).toEqual([503, upstream]);
    expect(fake.calls.invokes).toHaveLength(3);
  });
});
