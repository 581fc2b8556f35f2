import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ClientFormat } from '@aigw/proto';
import { fakeBackends } from '../../test/support/fake-backends.js';
import { fakeServerDeps, rule, TEST_KEY } from '../../test/support/fake-deps.js';
import { createServer } from '../server.js';

const body = { model: 'claude-sonnet-4', messages: [{ role: 'user', content: 'hi' }] };
const headers = { 'x-api-key': TEST_KEY, 'anthropic-version': '2023-06-01' };

async function app() {
  const fake = fakeBackends();
  const deps = await fakeServerDeps({ backends: fake.backends, routes: [rule('claude-*', { providerName: 'antigravity' })] });
  return { ...deps, calls: fake.calls, app: createServer(deps.deps) };
}

describe('POST /v1/messages/count_tokens', () => {
  it('answers a clear 400 naming the provider, without calling any backend, and logs it', async () => {
    const { app: server, calls, published } = await app();
    const res = await request(server).post('/v1/messages/count_tokens').set(headers).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'count_tokens is not supported for model `claude-sonnet-4`: its provider `antigravity` cannot count tokens through this gateway',
      },
    });
    expect(calls.invokes).toHaveLength(0);
    expect(calls.select).toHaveLength(0);
    expect(published).toEqual([
      expect.objectContaining({ model: 'claude-sonnet-4', statusCode: 400, errorClass: 'unsupported_operation', clientFormat: ClientFormat.CLIENT_FORMAT_ANTHROPIC }),
    ]);
  });

  it('checks key, body and model first, each in Anthropic’s shape', async () => {
    const { app: server } = await app();
    const badKey = await request(server).post('/v1/messages/count_tokens').set('x-api-key', 'nope').send(body);
    expect([badKey.status, badKey.body.error.type]).toEqual([401, 'authentication_error']);
    const malformed = await request(server).post('/v1/messages/count_tokens').set(headers).set('content-type', 'application/json').send('{');
    expect([malformed.status, malformed.body.error]).toEqual([400, { type: 'invalid_request_error', message: 'request body is not valid JSON' }]);
    const noMessages = await request(server).post('/v1/messages/count_tokens').set(headers).send({ model: 'claude-sonnet-4' });
    expect([noMessages.status, noMessages.body.error.message]).toEqual([400, 'messages: Field required']);
    const unknown = await request(server).post('/v1/messages/count_tokens').set(headers).send({ ...body, model: 'gpt-4o' });
    expect([unknown.status, unknown.body.error.type]).toEqual([404, 'not_found_error']);
  });
});
