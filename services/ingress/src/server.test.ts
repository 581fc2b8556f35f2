import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { AffinityOutcome, ClientFormat } from '@aigw/proto';
import { createServer } from './server.js';
import { errorResponse, fakeBackends, okResponse } from '../test/support/fake-backends.js';
import { fakeServerDeps, rule, TEST_KEY } from '../test/support/fake-deps.js';

const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
const messages = { model: 'claude-sonnet-4', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };
const auth = { authorization: `Bearer ${TEST_KEY}` };

async function app(options: Parameters<typeof fakeServerDeps>[0] = {}) {
  const fake = await fakeServerDeps(options);
  return { ...fake, app: createServer(fake.deps) };
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('generates one for every response, 404s included', async () => {
    const { app: server } = await app();
    const res = await request(server).get('/nope');
    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toMatch(UUID_V7);
    expect(res.body.error.code).toBe('not_found');
  });

  it('never takes the client id as its own: keeps a safe one apart, echoed in x-client-request-id', async () => {
    const { app: server } = await app();
    const first = await request(server).get('/healthz').set('x-request-id', 'abc.DEF_1-2');
    const second = await request(server).get('/healthz').set('x-request-id', 'abc.DEF_1-2');
    expect(first.headers['x-request-id']).toMatch(UUID_V7);
    expect(second.headers['x-request-id']).toMatch(UUID_V7);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect([first.headers['x-client-request-id'], second.headers['x-client-request-id']]).toEqual(['abc.DEF_1-2', 'abc.DEF_1-2']);
    const unsafe = await request(server).get('/healthz').set('x-request-id', 'a b<script>');
    expect(unsafe.headers['x-request-id']).toMatch(UUID_V7);
    expect(unsafe.headers['x-client-request-id']).toBeUndefined();
    expect((await request(server).get('/healthz').set('x-request-id', 'x'.repeat(65))).headers['x-client-request-id']).toBeUndefined();
    expect((await request(server).get('/healthz')).headers['x-client-request-id']).toBeUndefined();
  });
});

describe('client errors, in each protocol', () => {
  it('malformed JSON is a 400 in the OpenAI shape, not an HTML page', async () => {
    const { app: server } = await app();
    const res = await request(server).post('/v1/chat/completions').set(auth).set('content-type', 'application/json').send('{"model":');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ error: { message: 'request body is not valid JSON', type: 'invalid_request_error', param: null, code: 'invalid_request' } });
  });

  it('malformed JSON is a 400 in the Anthropic shape on /v1/messages', async () => {
    const { app: server } = await app();
    const res = await request(server).post('/v1/messages').set('x-api-key', TEST_KEY).set('content-type', 'application/json').send('nope');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'request body is not valid JSON' } });
  });

  it('a body over the limit is a 413 in the client shape', async () => {
    const { app: server } = await app({ bodyLimit: '1kb' });
    const big = { ...messages, messages: [{ role: 'user', content: 'x'.repeat(4096) }] };
    const res = await request(server).post('/v1/messages').set('x-api-key', TEST_KEY).send(big);
    expect(res.status).toBe(413);
    expect(res.body.error.type).toBe('request_too_large');
  });

  it('missing model, missing messages and missing max_tokens are 400 invalid_request_error', async () => {
    const { app: server } = await app();
    const noModel = await request(server).post('/v1/chat/completions').set(auth).send({ messages: [] });
    expect(noModel.status).toBe(400);
    expect(noModel.body.error).toMatchObject({ type: 'invalid_request_error', param: 'model' });
    const noMessages = await request(server).post('/v1/chat/completions').set(auth).send({ model: 'gpt-4o' });
    expect(noMessages.body.error.param).toBe('messages');
    const noMaxTokens = await request(server).post('/v1/messages').set(auth).send({ ...messages, max_tokens: undefined });
    expect(noMaxTokens.status).toBe(400);
    expect(noMaxTokens.body.error.type).toBe('invalid_request_error');
    expect(noMaxTokens.body.error.message).toMatch(/max_tokens/);
    const arrayBody = await request(server).post('/v1/chat/completions').set(auth).send([1, 2]);
    expect(arrayBody.status).toBe(400);
  });

  it('an unknown model is a 404: model_not_found for OpenAI, not_found_error for Anthropic', async () => {
    const { app: server } = await app();
    const openai = await request(server).post('/v1/chat/completions').set(auth).send({ ...chat, model: 'llama-9' });
    expect(openai.status).toBe(404);
    expect(openai.body.error.code).toBe('model_not_found');
    const anthropic = await request(server).post('/v1/messages').set(auth).send({ ...messages, model: 'llama-9' });
    expect(anthropic.status).toBe(404);
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('a missing, unknown or revoked key is a 401 before the body is even read', async () => {
    const { app: server } = await app({
      keys: { [TEST_KEY]: { id: 7, rateLimitPerMin: null, revoked: false }, old: { id: 8, rateLimitPerMin: null, revoked: true } },
    });
    const missing = await request(server).post('/v1/chat/completions').send(chat);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('invalid_api_key');
    const unknown = await request(server).post('/v1/messages').set('x-api-key', 'wrong').send('{not json');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const revoked = await request(server).post('/v1/chat/completions').set('authorization', 'Bearer old').send(chat);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toMatch(/revoked/);
  });

  it('NO_ACCOUNT is a 404 in the client shape', async () => {
    const { backends } = fakeBackends({ accounts: {} });
    const { app: server } = await app({ backends });
    const res = await request(server).post('/v1/messages').set(auth).send(messages);
    expect(res.status).toBe(404);
    expect(res.body.error.type).toBe('not_found_error');
  });

  it('rate-limited keys get a 429 with Retry-After', async () => {
    const { app: server } = await app({ keys: { [TEST_KEY]: { id: 9, rateLimitPerMin: 2, revoked: false } } });
    await request(server).post('/v1/chat/completions').set(auth).send(chat).expect(200);
    await request(server).post('/v1/chat/completions').set(auth).send(chat).expect(200);
    const limited = await request(server).post('/v1/chat/completions').set(auth).send(chat);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.error.type).toBe('rate_limit_error');
  });
});

describe('proxied answers', () => {
  it('passes the raw body bytes on and the upstream body back, with one log event', async () => {
    const fake = fakeBackends({ invoke: () => okResponse({ id: 'chatcmpl-1' }, { droppedFields: ['logprobs'] }) });
    const { app: server, published } = await app({ backends: fake.backends });
    const raw = '{ "model": "gpt-4o",   "messages": [{"role":"user","content":"hi"}] }';
    const res = await request(server).post('/v1/chat/completions').set(auth).set('x-request-id', 'client-1').set('content-type', 'application/json').send(raw);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'chatcmpl-1' });
    expect(fake.calls.invokes[0]!.requestId).toBe(res.headers['x-request-id']);
    expect(res.headers['x-aigw-dropped']).toBe('logprobs');
    expect(fake.calls.invokes[0]!.body.toString()).toBe(raw);
    expect(fake.calls.invokes[0]!.clientFormat).toBe(ClientFormat.CLIENT_FORMAT_OPENAI);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ requestId: res.headers['x-request-id'], clientRequestId: 'client-1', apiKeyId: 7, model: 'gpt-4o', statusCode: 200, accountId: 11, attempts: 1 });
  });

  it('hands provider-call the allow-listed client headers only, never the client key', async () => {
    const fake = fakeBackends();
    const { app: server } = await app({ backends: fake.backends });
    await request(server)
      .post('/v1/messages')
      .set(auth)
      .set({ 'anthropic-version': '2023-06-01', 'anthropic-beta': 'a-2025, b-2025', cookie: 'sid=1', 'x-stainless-os': 'Linux' })
      .send(messages)
      .expect(200);
    expect(fake.calls.invokes[0]!.clientHeaders).toEqual([
      { name: 'anthropic-beta', value: 'a-2025, b-2025' },
      { name: 'anthropic-version', value: '2023-06-01' },
    ]);
  });

  it('keys the conversation by what the client sent, scoped to its key, and logs what affinity did', async () => {
    const fake = fakeBackends();
    const { app: server, published } = await app({ backends: fake.backends });
    const session = '0b7e3c52-6f7e-4a4e-9d51-7b1f0c9e2a11';
    await request(server).post('/v1/messages').set({ 'x-api-key': TEST_KEY, 'x-claude-code-session-id': session }).send(messages).expect(200);
    await request(server)
      .post('/v1/messages')
      .set({ 'x-api-key': TEST_KEY })
      .send({ ...messages, metadata: { user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: session }) } })
      .expect(200);
    await request(server).post('/v1/chat/completions').set(auth).send(chat).expect(200);
    const keys = fake.calls.select.map((s) => s.affinityKey);
    expect(keys[0]).toMatch(/^7:session:/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toMatch(/^7:prompt:/);
    expect(keys.join()).not.toContain(session);
    expect(published.map((e) => e.affinity)).toEqual([
      AffinityOutcome.AFFINITY_OUTCOME_NEW_BINDING,
      AffinityOutcome.AFFINITY_OUTCOME_NEW_BINDING,
      AffinityOutcome.AFFINITY_OUTCOME_NEW_BINDING,
    ]);
  });

  it('returns the last upstream error as is when every account failed, with Retry-After', async () => {
    const fake = fakeBackends({ invoke: () => errorResponse(429, 3_000) });
    const { app: server, published } = await app({ backends: fake.backends });
    const res = await request(server).post('/v1/chat/completions').set(auth).send(chat);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.body.error.message).toBe('upstream 429');
    expect(fake.calls.select.map((s) => s.exclude)).toEqual([[], [11], [11, 12]]);
    expect(published[0]).toMatchObject({ statusCode: 429, attempts: 3, errorClass: 'upstream_429' });
  });

  it('logs one event for rejected requests too, with api key id 0 when the key is unknown', async () => {
    const { app: server, published } = await app();
    await request(server).post('/v1/chat/completions').set('authorization', 'Bearer nope').send(chat);
    await request(server).post('/v1/chat/completions').set(auth).send({ ...chat, model: 'llama' });
    expect(published.map((e) => [e.apiKeyId, e.statusCode, e.errorClass])).toEqual([
      [0, 401, 'unauthenticated'],
      [7, 404, 'model_not_found'],
    ]);
  });

  it('streams SSE chunks through and logs usage', async () => {
    const fake = fakeBackends();
    const { app: server, published } = await app({ backends: fake.backends });
    const res = await request(server).post('/v1/chat/completions').set(auth).send({ ...chat, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    expect(res.text).toBe('data: {"n":1}\n\ndata: {"n":2}\n\n');
    expect(published[0]).toMatchObject({ stream: true, statusCode: 200, usage: { inputTokens: 2, outputTokens: 9 } });
  });

  it('a stream that fails before any data becomes a JSON error, after failover', async () => {
    const fake = fakeBackends({
      stream: () => [
        { start: { status: 503, proxyId: 0, upstreamLatencyMs: 1, droppedFields: [] } },
        { error: { status: 503, retryAfterMs: 0, body: Buffer.from('{"type":"error","error":{"type":"api_error","message":"down"}}'), errorClass: 'upstream_503' } },
      ],
    });
    const { app: server } = await app({ backends: fake.backends });
    const res = await request(server).post('/v1/messages').set(auth).send({ ...messages, stream: true });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ type: 'error', error: { type: 'api_error', message: 'down' } });
    expect(fake.calls.invokes).toHaveLength(3);
  });

  it("a request that reaches the gateway's time limit gets 504 naming it, logged as request_timeout", async () => {
    const fake = fakeBackends({
      // provider-call holds the call until the request's deadline, as the gRPC deadline would end it.
      invoke: () => new Promise((_resolve, reject) => setTimeout(() => reject(new AppError('DEADLINE_EXCEEDED', 'provider-call did not answer in time')), 150)),
    });
    const { app: server, published } = await app({ backends: fake.backends, requestTimeoutMs: 100 });
    const res = await request(server).post('/v1/messages').set(auth).send(messages);
    expect(res.status).toBe(504);
    expect(res.body).toEqual({ type: 'error', error: { type: 'timeout_error', message: "no answer within the gateway's time limit for a request (100 ms)" } });
    expect(published[0]!.errorClass).toBe('request_timeout');
    expect(fake.calls.outcomes).toEqual([]);
  });

  it('a gRPC stream that breaks after data ends with the protocol error event', async () => {
    const fake = fakeBackends({
      stream: () => [
        { start: { status: 200, proxyId: 0, upstreamLatencyMs: 1, droppedFields: [] } },
        { data: Buffer.from('event: message_start\ndata: {}\n\n') },
        { throw: new AppError('UNAVAILABLE', 'connection reset') },
      ],
    });
    const { app: server, published } = await app({ backends: fake.backends });
    const res = await request(server).post('/v1/messages').set(auth).send({ ...messages, stream: true });
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      'event: message_start\ndata: {}\n\nevent: error\ndata: {"type":"error","error":{"type":"api_error","message":"upstream stream broke off"}}\n\n',
    );
    expect(published[0]!.errorClass).toBe('stream_broken');
  });
});

describe('health, models and admin gate', () => {
  it('serves /healthz and /readyz, and no /metrics on the client port (it has a port of its own)', async () => {
    const fake = await fakeServerDeps();
    fake.deps.readinessChecks = [{ name: 'redis', check: async () => true }, { name: 'selector', check: async () => false }];
    const server = createServer(fake.deps);
    expect((await request(server).get('/healthz')).status).toBe(200);
    const ready = await request(server).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'not_ready', failing: ['selector'] });
    await request(server).post('/v1/chat/completions').set(auth).send(chat);
    expect(await fake.deps.metrics.registry.metrics()).toMatch(/aigw_http_requests_total\{route="\/v1\/chat\/completions",status="200"\} 1/);
    expect((await request(server).get('/metrics')).status).toBe(404);
  });

  it('lists routable models for a valid key', async () => {
    const { app: server } = await app({
      routes: [rule('gpt-4o'), rule('claude-*', { id: 2, providerId: 2, providerName: 'antigravity' })],
    });
    expect((await request(server).get('/v1/models')).status).toBe(401);
    const res = await request(server).get('/v1/models').set(auth);
    expect(res.body).toEqual({ object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1_735_689_600, owned_by: 'openai' }] });
  });

  it('rejects admin calls without the right token', async () => {
    const { app: server } = await app();
    const none = await request(server).get('/api/v1/keys');
    expect(none.status).toBe(401);
    expect(none.headers['x-request-id']).toBeDefined();
    expect((await request(server).get('/api/v1/keys').set('authorization', 'Bearer wrong')).status).toBe(401);
  });
});
