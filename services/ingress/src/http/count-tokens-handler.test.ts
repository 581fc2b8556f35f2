import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { ClientFormat } from '@aigw/proto';
import { countResponse, fakeBackends, type FakeBackendOptions } from '../../test/support/fake-backends.js';
import { fakeServerDeps, rule, TEST_KEY } from '../../test/support/fake-deps.js';
import { createServer } from '../server.js';

const body = { model: 'claude-sonnet-4', messages: [{ role: 'user', content: 'hi' }] };
const headers = { 'x-api-key': TEST_KEY, 'anthropic-version': '2023-06-01' };

async function app(options: FakeBackendOptions = {}) {
  const fake = fakeBackends(options);
  const deps = await fakeServerDeps({ backends: fake.backends, routes: [rule('claude-*', { providerName: 'antigravity' }), rule('gemini-*')] });
  return { ...deps, calls: fake.calls, app: createServer(deps.deps) };
}

describe('POST /v1/messages/count_tokens', () => {
  it('routes, selects an account and its credential, asks provider-call, and answers its count', async () => {
    const { app: server, calls, published } = await app();
    const raw = JSON.stringify(body);
    const res = await request(server).post('/v1/messages/count_tokens').set(headers).set('anthropic-beta', 'token-counting-2024-11-01').set('content-type', 'application/json').send(raw);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ input_tokens: 7 });
    expect(res.headers['x-aigw-token-count']).toBe('exact');
    expect(calls.select).toHaveLength(1);
    expect(calls.credentials).toHaveLength(1);
    expect(calls.invokes).toHaveLength(0);
    const sent = calls.counts[0]!;
    expect(sent.body.toString()).toBe(raw);
    expect(sent.clientFormat).toBe(ClientFormat.CLIENT_FORMAT_ANTHROPIC);
    expect(sent.account?.id).toBe(11);
    expect(sent.credential?.headerValue).toMatch(/^Bearer k-11/);
    expect(sent.clientHeaders).toEqual([
      { name: 'anthropic-beta', value: 'token-counting-2024-11-01' },
      { name: 'anthropic-version', value: '2023-06-01' },
    ]);
    expect(published).toEqual([
      expect.objectContaining({ model: 'claude-sonnet-4', statusCode: 200, errorClass: '', accountId: 11, attempts: 1, clientFormat: ClientFormat.CLIENT_FORMAT_ANTHROPIC }),
    ]);
  });

  it('says when the count is an estimate, and names what could not be carried', async () => {
    const { app: server } = await app({ countTokens: () => countResponse({ input_tokens: 9 }, { estimated: true, droppedFields: ['header:anthropic-beta'] }) });
    const res = await request(server).post('/v1/messages/count_tokens').set(headers).send(body);
    expect(res.body).toEqual({ input_tokens: 9 });
    expect(res.headers['x-aigw-token-count']).toBe('estimate');
    expect(res.headers['x-aigw-dropped']).toBe('header:anthropic-beta');
  });

  it('fails over to another account when the count cannot be made through one', async () => {
    const { app: server, calls } = await app({
      countTokens: (_request, call) => {
        if (call === 1) throw new AppError('UPSTREAM_UNREACHABLE', 'proxy down');
        return countResponse({ input_tokens: 3 });
      },
    });
    const res = await request(server).post('/v1/messages/count_tokens').set(headers).send(body);
    expect(res.body).toEqual({ input_tokens: 3 });
    expect(calls.counts.map((c) => c.account?.id)).toEqual([11, 12]);
  });

  it('refreshes a rejected credential once and counts again', async () => {
    let call = 0;
    const { app: server, calls } = await app({
      countTokens: () => {
        call += 1;
        if (call === 1) return countResponse({ type: 'error', error: { type: 'authentication_error', message: 'expired' } }, { status: 401 });
        return countResponse({ input_tokens: 4 });
      },
    });
    const res = await request(server).post('/v1/messages/count_tokens').set(headers).send(body);
    expect(res.body).toEqual({ input_tokens: 4 });
    expect(calls.invalidated).toEqual([11]);
    expect(calls.counts).toHaveLength(2);
  });

  it('hands back the upstream’s refusal of the request as is', async () => {
    const refusal = { type: 'error', error: { type: 'invalid_request_error', message: 'messages: bad' } };
    const { app: server, published } = await app({ countTokens: () => countResponse(refusal, { status: 400 }) });
    const res = await request(server).post('/v1/messages/count_tokens').set(headers).send(body);
    expect([res.status, res.body]).toEqual([400, refusal]);
    expect(res.headers['x-aigw-token-count']).toBeUndefined();
    expect(published[0]).toMatchObject({ statusCode: 400, errorClass: 'upstream_400' });
  });

  it('checks key, body and model first, each in Anthropic’s shape', async () => {
    const { app: server, calls } = await app();
    const badKey = await request(server).post('/v1/messages/count_tokens').set('x-api-key', 'nope').send(body);
    expect([badKey.status, badKey.body.error.type]).toEqual([401, 'authentication_error']);
    const malformed = await request(server).post('/v1/messages/count_tokens').set(headers).set('content-type', 'application/json').send('{');
    expect([malformed.status, malformed.body.error]).toEqual([400, { type: 'invalid_request_error', message: 'request body is not valid JSON' }]);
    const noMessages = await request(server).post('/v1/messages/count_tokens').set(headers).send({ model: 'claude-sonnet-4' });
    expect([noMessages.status, noMessages.body.error.message]).toEqual([400, 'messages: Field required']);
    const unknown = await request(server).post('/v1/messages/count_tokens').set(headers).send({ ...body, model: 'gpt-4o' });
    expect([unknown.status, unknown.body.error.type]).toEqual([404, 'not_found_error']);
    expect(calls.counts).toHaveLength(0);
  });
});

describe('POST /v1beta/models/{model}:countTokens', () => {
  it('answers in Gemini’s shape with the model from the path', async () => {
    const { app: server, calls } = await app({ countTokens: () => countResponse({ totalTokens: 5 }, { inputTokens: 5 }) });
    const res = await request(server)
      .post('/v1beta/models/gemini-2.5-flash:countTokens')
      .set('x-goog-api-key', TEST_KEY)
      .send({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    expect([res.status, res.body, res.headers['x-aigw-token-count']]).toEqual([200, { totalTokens: 5 }, 'exact']);
    expect(calls.counts[0]?.clientFormat).toBe(ClientFormat.CLIENT_FORMAT_GEMINI);
    expect(calls.counts[0]?.upstreamModel).toBe('gemini-2.5-flash');
  });
});
