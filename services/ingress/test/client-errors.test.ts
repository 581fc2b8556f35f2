import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from './support/fake-deps.js';
import { startDbServer, type DbServer } from './support/db-server.js';

let server: DbServer;
let key: string;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  server = await startDbServer();
  await request(server.app).post('/api/v1/providers').set(admin).send({ name: 'openai', kind: 'openai', baseUrl: 'http://127.0.0.1:9' }).expect(201);
  await request(server.app).post('/api/v1/routes').set(admin).send({ pattern: 'gpt-*', provider: 'openai' }).expect(201);
  await request(server.app).post('/api/v1/routes').set(admin).send({ pattern: 'claude-*', provider: 'openai' }).expect(201);
  key = (await request(server.app).post('/api/v1/keys').set(admin).send({ name: 'client' }).expect(201)).body.key;
  await server.refreshRoutes();
});

afterAll(async () => {
  await server?.close();
});

const routes = [
  { path: '/v1/chat/completions', body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, shape: 'openai' },
  { path: '/v1/messages', body: { model: 'claude-sonnet-4', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }, shape: 'anthropic' },
] as const;

/** The error's type and message, whichever protocol shaped it; fails when the shape is not the route's. */
function errorOf(shape: 'openai' | 'anthropic', body: Record<string, any>): { type: string; code?: string } {
  if (shape === 'anthropic') {
    expect(body).toEqual({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } });
    return { type: body.error.type };
  }
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(body.error).toMatchObject({ message: expect.any(String), type: expect.any(String), code: expect.any(String) });
  return { type: body.error.type, code: body.error.code };
}

describe.each(routes)('$path against a real key and route table', ({ path, body, shape }) => {
  const bearer = () => ({ authorization: `Bearer ${key}` });

  it('proxies a valid request with a key created through the admin API', async () => {
    const res = await request(server.app).post(path).set(bearer()).send(body);
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('answers malformed JSON with 400 in its own shape', async () => {
    const res = await request(server.app).post(path).set(bearer()).set('content-type', 'application/json').send('{"model": "gpt-4o",');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/<html|at JSON\.parse|SyntaxError/i);
    expect(errorOf(shape, res.body).type).toBe('invalid_request_error');
  });

  it('answers a missing model with 400 invalid_request_error', async () => {
    const res = await request(server.app).post(path).set(bearer()).send({ ...body, model: undefined });
    expect(res.status).toBe(400);
    expect(errorOf(shape, res.body).type).toBe('invalid_request_error');
  });

  it('answers an unknown model with 404', async () => {
    const res = await request(server.app).post(path).set(bearer()).send({ ...body, model: 'mistral-large' });
    expect(res.status).toBe(404);
    const error = errorOf(shape, res.body);
    if (shape === 'openai') expect(error.code).toBe('model_not_found');
    else expect(error.type).toBe('not_found_error');
  });

  it('answers a bad key with 401, on either header', async () => {
    for (const headers of [{ authorization: 'Bearer aigw-wrong' }, { 'x-api-key': 'aigw-wrong' }, {}]) {
      const res = await request(server.app).post(path).set(headers).send(body);
      expect(res.status).toBe(401);
      expect(errorOf(shape, res.body).type).toBe(shape === 'openai' ? 'invalid_request_error' : 'authentication_error');
    }
  });
});

describe('keys and routes follow admin changes', () => {
  it('routes a model as soon as its route is created', async () => {
    const body = { model: 'glm-4.6', messages: [{ role: 'user', content: 'hi' }] };
    expect((await request(server.app).post('/v1/chat/completions').set('x-api-key', key).send(body)).status).toBe(404);
    await request(server.app).post('/api/v1/routes').set(admin).send({ pattern: 'glm-*', provider: 'openai', upstreamModel: 'glm-4.6-air' }).expect(201);
    await server.refreshRoutes();
    expect((await request(server.app).post('/v1/chat/completions').set('x-api-key', key).send(body)).status).toBe(200);
    expect(server.calls.invokes.at(-1)!.upstreamModel).toBe('glm-4.6-air');
  });

  it('enforces the per-key limit through Redis with Retry-After', async () => {
    const limited = (await request(server.app).post('/api/v1/keys').set(admin).send({ name: 'tight', rateLimitPerMin: 1 }).expect(201)).body.key;
    const body = routes[0].body;
    await request(server.app).post('/v1/chat/completions').set('x-api-key', limited).send(body).expect(200);
    const res = await request(server.app).post('/v1/chat/completions').set('x-api-key', limited).send(body);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rejects a key once it is revoked', async () => {
    const created = (await request(server.app).post('/api/v1/keys').set(admin).send({ name: 'short-lived' }).expect(201)).body;
    const body = routes[1].body;
    await request(server.app).post('/v1/messages').set('x-api-key', created.key).send(body).expect(200);
    await request(server.app).delete(`/api/v1/keys/${created.id}`).set(admin).expect(200);
    const res = await request(server.app).post('/v1/messages').set('x-api-key', created.key).send(body);
    expect(res.status).toBe(401);
    expect(res.body.error.type).toBe('authentication_error');
  });
});

describe('per-key limits set through the admin API', () => {
  const [openai, anthropic] = routes;

  it('refuses a key over its budget with a 429 in each protocol’s shape, and shows the spend on the key', async () => {
    // A known price, so each request's cost is known: the fake upstream reports 3 prompt + 5 completion tokens.
    const gpt = (await request(server.app).get('/api/v1/routes').set(admin)).body.data.find((r: { pattern: string }) => r.pattern === 'gpt-*');
    const patched = await request(server.app).patch(`/api/v1/routes/${gpt.id}`).set(admin).send({ price: { inputPerMTok: 1000, outputPerMTok: 1000 } }).expect(200);
    expect(patched.body.price).toEqual({ inputPerMTok: 1000, outputPerMTok: 1000 });
    await server.refreshRoutes();
    const created = (await request(server.app).post('/api/v1/keys').set(admin).send({ name: 'budget', maxBudget: 0.01 }).expect(201)).body;
    expect(created).toMatchObject({ maxBudget: 0.01, budgetPeriod: 'month', spend: { spentUsd: 0, remainingUsd: 0.01, periodEnd: expect.any(String) } });
    // $0.008 each: the second request starts under the budget and ends over it; the third is refused.
    await request(server.app).post(openai.path).set('x-api-key', created.key).send(openai.body).expect(200);
    await request(server.app).post(openai.path).set('x-api-key', created.key).send(openai.body).expect(200);
    expect(server.published.at(-1)!.costMicroUsd).toBe(8_000);

    const refused = await request(server.app).post(openai.path).set('x-api-key', created.key).send(openai.body);
    expect(refused.status).toBe(429);
    expect(errorOf('openai', refused.body)).toEqual({ type: 'insufficient_quota', code: 'budget_exceeded' });
    expect(refused.body.error.message).toMatch(/budget of \$0\.01 per month is used up \(\$0\.016 spent\); it resets at \d{4}-\d\d-01T00:00:00\.000Z/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const refusedAnthropic = await request(server.app).post(anthropic.path).set('x-api-key', created.key).send(anthropic.body);
    expect(refusedAnthropic.status).toBe(429);
    expect(errorOf('anthropic', refusedAnthropic.body).type).toBe('rate_limit_error');

    const shown = (await request(server.app).get(`/api/v1/keys/${created.id}`).set(admin).expect(200)).body;
    expect(shown.spend).toMatchObject({ spentUsd: 0.016, remainingUsd: 0 });
    // Raising the budget lets the key through again at once.
    await request(server.app).patch(`/api/v1/keys/${created.id}`).set(admin).send({ maxBudget: 1 }).expect(200);
    await request(server.app).post(openai.path).set('x-api-key', created.key).send(openai.body).expect(200);
  });

  it('refuses a model the key may not use with 403, naming it', async () => {
    const restricted = (await request(server.app).post('/api/v1/keys').set(admin).send({ name: 'gpt-only', models: ['gpt-4o'] }).expect(201)).body;
    expect(restricted.models).toEqual(['gpt-4o']);
    await request(server.app).post(openai.path).set('x-api-key', restricted.key).send(openai.body).expect(200);
    const denied = await request(server.app).post(anthropic.path).set('x-api-key', restricted.key).send(anthropic.body);
    expect(denied.status).toBe(403);
    expect(errorOf('anthropic', denied.body).type).toBe('permission_error');
    expect(denied.body.error.message).toContain('"claude-sonnet-4"');
  });

  it('refuses an expired key with 401 saying so', async () => {
    expect((await request(server.app).post('/api/v1/keys').set(admin).send({ name: 'past', expiresAt: '2020-01-01T00:00:00Z' })).status).toBe(400);
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const expiring = (await request(server.app).post('/api/v1/keys').set(admin).send({ name: 'soon', expiresAt }).expect(201)).body;
    expect(expiring.expiresAt).toBe(expiresAt);
    await request(server.app).post(openai.path).set('x-api-key', expiring.key).send(openai.body).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const res = await request(server.app).post(openai.path).set('x-api-key', expiring.key).send(openai.body);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('expired');
  });
});
