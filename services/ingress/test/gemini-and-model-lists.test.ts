import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '@aigw/proto';
import { ClientFormat } from '@aigw/proto';
import { account } from './support/fake-backends.js';
import { ADMIN_TOKEN } from './support/fake-deps.js';
import { startDbServer, type DbServer } from './support/db-server.js';

let server: DbServer;
let key: string;
const providerIds: Record<string, number> = {};
// What the fake selector hands out, per provider id; filled once the providers exist.
const selectable: Record<number, Account[]> = {};
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

const adminPost = (path: string, payload: object) => request(server.app).post(`/api/v1${path}`).set(admin).send(payload).expect(201);
const modelIds = async (): Promise<string[]> =>
  (await request(server.app).get('/v1/models').set('authorization', `Bearer ${key}`).expect(200)).body.data.map((m: { id: string }) => m.id);

beforeAll(async () => {
  server = await startDbServer({ accounts: selectable });
  for (const [name, kind] of [['openai', 'openai'], ['gemini', 'gemini'], ['glm', 'openai']] as const) {
    providerIds[name] = (await adminPost('/providers', { name, kind, baseUrl: 'http://127.0.0.1:9' })).body.id;
  }
  await adminPost('/routes', { pattern: 'gpt-4o', provider: 'openai' });
  await adminPost('/routes', { pattern: 'gpt-*', provider: 'openai' });
  await adminPost('/routes', { pattern: 'gemini-*', provider: 'gemini', upstreamModel: 'gemini-2.5-flash' });
  await adminPost('/routes', { pattern: 'glm-4.6', provider: 'glm' });
  for (const name of ['openai', 'gemini']) {
    await adminPost('/accounts', { provider: name, label: `${name}-1`, authType: 'api_key', credentials: { apiKey: 'upstream-secret' } });
  }
  selectable[providerIds.openai!] = [account(11, providerIds.openai)];
  selectable[providerIds.gemini!] = [account(21, providerIds.gemini)];
  key = (await adminPost('/keys', { name: 'client' })).body.key;
  await server.refreshRoutes();
});

afterAll(async () => {
  await server?.close();
});

describe('model lists from the routing table and the active accounts', () => {
  it('list only concrete models whose provider has an active account, in each protocol’s shape', async () => {
    expect(await modelIds()).toEqual(['gemini-2.5-flash', 'gpt-4o']);
    const anthropic = await request(server.app).get('/v1/models').set({ 'x-api-key': key, 'anthropic-version': '2023-06-01' });
    expect(anthropic.body).toMatchObject({ has_more: false, first_id: 'gemini-2.5-flash', last_id: 'gpt-4o' });
    expect(anthropic.body.data[1]).toMatchObject({ type: 'model', id: 'gpt-4o', created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const gemini = await request(server.app).get(`/v1beta/models?key=${key}`);
    expect(gemini.body.models.map((m: { name: string }) => m.name)).toEqual(['models/gemini-2.5-flash', 'models/gpt-4o']);
  });

  it('show a key limited to some models only those, in every shape', async () => {
    const limited = (await adminPost('/keys', { name: 'gpt-only', models: ['gpt-*'] })).body.key;
    const openai = await request(server.app).get('/v1/models').set('authorization', `Bearer ${limited}`).expect(200);
    expect(openai.body.data.map((m: { id: string }) => m.id)).toEqual(['gpt-4o']);
    const gemini = await request(server.app).get(`/v1beta/models?key=${limited}`).expect(200);
    expect(gemini.body.models.map((m: { name: string }) => m.name)).toEqual(['models/gpt-4o']);
    expect((await request(server.app).get('/v1/models/gemini-2.5-flash').set('authorization', `Bearer ${limited}`)).status).toBe(404);
    expect((await request(server.app).get('/v1/models/gpt-4o').set('authorization', `Bearer ${limited}`)).status).toBe(200);
  });

  it('follow accounts being added, deactivated and reactivated', async () => {
    const created = await adminPost('/accounts', { provider: 'glm', label: 'glm-1', authType: 'api_key', credentials: { apiKey: 'x' } });
    await server.refreshRoutes();
    expect(await modelIds()).toContain('glm-4.6');
    await request(server.app).patch(`/api/v1/accounts/${created.body.id}`).set(admin).send({ isActive: false }).expect(200);
    await server.refreshRoutes();
    expect(await modelIds()).not.toContain('glm-4.6');
    const detail = await request(server.app).get('/v1/models/glm-4.6').set('authorization', `Bearer ${key}`);
    expect([detail.status, detail.body.error.code]).toEqual([404, 'model_not_found']);
  });

  it('describe routed models through wildcard routes too', async () => {
    const res = await request(server.app).get('/v1beta/models/gemini-2.0-pro').set('x-goog-api-key', key);
    expect(res.body).toMatchObject({ name: 'models/gemini-2.0-pro', supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'] });
  });
});

describe('operator-named models', () => {
  it('are stored on providers and routes through the admin API and listed where the routes send them', async () => {
    const provider = await request(server.app).patch(`/api/v1/providers/${providerIds.openai}`).set(admin).send({ models: ['gpt-4.5-preview', 'o3'] }).expect(200);
    expect(provider.body.models).toEqual(['gpt-4.5-preview', 'o3']);
    const route = await adminPost('/routes', { pattern: 'gemini-exp-*', provider: 'gemini', models: ['gemini-exp-1206'] });
    expect(route.body.models).toEqual(['gemini-exp-1206']);
    await server.refreshRoutes();
    // o3 matches no route: naming it on the provider does not make it callable, so it is not listed.
    expect(await modelIds()).toEqual(['gemini-2.5-flash', 'gemini-exp-1206', 'gpt-4.5-preview', 'gpt-4o']);
    expect((await request(server.app).get(`/api/v1/providers/${providerIds.openai}`).set(admin)).body.models).toEqual(['gpt-4.5-preview', 'o3']);
    await request(server.app).patch(`/api/v1/providers/${providerIds.openai}`).set(admin).send({ models: null }).expect(200);
    await request(server.app).delete(`/api/v1/routes/${route.body.id}`).set(admin).expect(204);
    await server.refreshRoutes();
    expect(await modelIds()).toEqual(['gemini-2.5-flash', 'gpt-4o']);
  });

  it('on a route must match its pattern, and must be names', async () => {
    const stray = await request(server.app).post('/api/v1/routes').set(admin).send({ pattern: 'gpt-*', provider: 'openai', models: ['gpt-4o', 'o3'] });
    expect([stray.status, stray.body.error.message]).toEqual([400, expect.stringMatching(/match the route's pattern "gpt-\*": o3/)]);
    const bad = await request(server.app).post('/api/v1/providers').set(admin).send({ name: 'x', kind: 'openai', baseUrl: 'http://127.0.0.1:9', models: ['has space'] });
    expect([bad.status, Object.keys(bad.body.error.fields)]).toEqual([400, ['models.0']]);
    const created = await adminPost('/routes', { pattern: 'gpt-4o*', provider: 'openai', models: ['gpt-4o-audio'] });
    const patched = await request(server.app).patch(`/api/v1/routes/${created.body.id}`).set(admin).send({ pattern: 'gpt-5*' });
    expect(patched.status).toBe(400);
    await request(server.app).delete(`/api/v1/routes/${created.body.id}`).set(admin).expect(204);
  });
});

describe('Gemini routes against a real key and route table', () => {
  it('proxy generateContent as a Gemini request to the route’s upstream model', async () => {
    const res = await request(server.app).post(`/v1beta/models/gemini-exp:generateContent?key=${key}`).send(body);
    expect(res.status).toBe(200);
    const invoke = server.calls.invokes.at(-1)!;
    expect([invoke.clientFormat, invoke.upstreamModel, invoke.account?.id, invoke.stream]).toEqual([ClientFormat.CLIENT_FORMAT_GEMINI, 'gemini-2.5-flash', 21, false]);
    expect(server.published.at(-1)).toMatchObject({ requestId: res.headers['x-request-id'], clientFormat: ClientFormat.CLIENT_FORMAT_GEMINI, model: 'gemini-exp' });
  });

  it('stream with alt=sse and as a JSON array', async () => {
    const sse = await request(server.app).post('/v1beta/models/gemini-exp:streamGenerateContent?alt=sse').set('x-goog-api-key', key).send(body);
    expect([sse.status, sse.headers['content-type']]).toEqual([200, expect.stringMatching(/text\/event-stream/)]);
    const array = await request(server.app).post('/v1beta/models/gemini-exp:streamGenerateContent').set('x-goog-api-key', key).send(body);
    expect(array.body).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('answer bad input in Gemini’s error shape', async () => {
    const post = (path: string) => request(server.app).post(path).set('x-goog-api-key', key);
    const cases = [
      { res: await post('/v1beta/models/gemini-exp:generateContent').set('content-type', 'application/json').send('{"contents": ['), code: 400, status: 'INVALID_ARGUMENT' },
      { res: await post('/v1beta/models/gemini-exp:generateContent').send({ messages: [] }), code: 400, status: 'INVALID_ARGUMENT' },
      { res: await post('/v1beta/models/mistral-large:generateContent').send(body), code: 404, status: 'NOT_FOUND' },
      { res: await request(server.app).post('/v1beta/models/gemini-exp:generateContent?key=aigw-wrong').send(body), code: 401, status: 'UNAUTHENTICATED' },
      // glm's only account was deactivated above; the fake selector has none for it either.
      { res: await post('/v1beta/models/glm-4.6:generateContent').send(body), code: 404, status: 'NOT_FOUND' },
      { res: await post('/v1beta/models/gemini-exp:countTokens').send({ contents: 'not a list' }), code: 400, status: 'INVALID_ARGUMENT' },
      // A path express's router cannot decode (a truncated percent-escape) is the client's fault, never a 500.
      { res: await post('/v1beta/models/%E0%A4%A:generateContent').send(body), code: 400, status: 'INVALID_ARGUMENT' },
      { res: await request(server.app).get('/v1beta/models/gemini-%ZZ').set('x-goog-api-key', key), code: 400, status: 'INVALID_ARGUMENT' },
    ];
    for (const { res, code, status } of cases) {
      expect(res.status).toBe(code);
      expect(res.text).not.toMatch(/<html|SyntaxError|at JSON\.parse/);
      expect(res.body).toEqual({ error: { code, message: expect.any(String), status } });
    }
  });

  it('count tokens through the route’s provider and an account (Gemini countTokens, Anthropic count_tokens)', async () => {
    const gemini = await request(server.app).post(`/v1beta/models/gemini-exp:countTokens?key=${key}`).send(body);
    expect(gemini.status).toBe(200);
    const count = server.calls.counts.at(-1)!;
    expect([count.clientFormat, count.upstreamModel, count.account?.id]).toEqual([ClientFormat.CLIENT_FORMAT_GEMINI, 'gemini-2.5-flash', 21]);
    const anthropic = await request(server.app)
      .post('/v1/messages/count_tokens')
      .set({ 'x-api-key': key, 'anthropic-version': '2023-06-01' })
      .send({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(anthropic.status).toBe(200);
    expect(server.calls.counts.at(-1)?.account?.id).toBe(11);
    expect(server.published.at(-1)).toMatchObject({ requestId: anthropic.headers['x-request-id'], model: 'gpt-4o', statusCode: 200 });
  });
});
