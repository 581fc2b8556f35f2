import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { fakeServerDeps, rule, silentLogger, TEST_KEY } from '../../test/support/fake-deps.js';
import { ModelCatalog } from '../models/model-catalog.js';
import { RouteCache } from '../routing/route-cache.js';
import { createServer } from '../server.js';

const bearer = { authorization: `Bearer ${TEST_KEY}` };
const anthropic = { 'x-api-key': TEST_KEY, 'anthropic-version': '2023-06-01' };
const JAN_1 = Date.UTC(2025, 0, 1);

async function app() {
  const fake = await fakeServerDeps({
    routes: [
      rule('gpt-4o', { id: 1, providerName: 'openai' }),
      rule('gpt-*', { id: 2, providerName: 'openai' }),
      rule('gemini-*', { id: 3, providerId: 3, providerName: 'antigravity', upstreamModel: 'gemini-2.5-pro' }),
      rule('claude-*', { id: 4, providerId: 3, providerName: 'antigravity' }),
      rule('glm-4.6', { id: 5, providerId: 4, providerName: 'glm', providerHasAccounts: false }),
      rule('meta-llama/Llama-3-8B', { id: 6, providerId: 5, providerName: 'vllm' }),
    ],
  });
  return createServer(fake.deps);
}

describe('GET /v1/models', () => {
  it('lists concrete models of providers with an active account, in OpenAI’s shape', async () => {
    const res = await request(await app()).get('/v1/models').set(bearer);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      object: 'list',
      data: [
        { id: 'gemini-2.5-pro', object: 'model', created: JAN_1 / 1000, owned_by: 'antigravity' },
        { id: 'gpt-4o', object: 'model', created: JAN_1 / 1000, owned_by: 'openai' },
        { id: 'meta-llama/Llama-3-8B', object: 'model', created: JAN_1 / 1000, owned_by: 'vllm' },
      ],
    });
  });

  it('answers Anthropic clients (anthropic-version, or x-api-key alone) in Anthropic’s shape', async () => {
    const server = await app();
    for (const headers of [anthropic, { 'x-api-key': TEST_KEY }, { ...bearer, 'anthropic-version': '2023-06-01' }]) {
      const res = await request(server).get('/v1/models').set(headers);
      expect(res.body).toMatchObject({ has_more: false, first_id: 'gemini-2.5-pro', last_id: 'meta-llama/Llama-3-8B' });
      expect(res.body.data[1]).toEqual({ type: 'model', id: 'gpt-4o', display_name: 'gpt-4o', created_at: '2025-01-01T00:00:00.000Z' });
    }
    const page = await request(server).get('/v1/models?limit=1&after_id=gemini-2.5-pro').set(anthropic);
    expect(page.body).toMatchObject({ data: [{ id: 'gpt-4o' }], has_more: true, first_id: 'gpt-4o', last_id: 'gpt-4o' });
    const bad = await request(server).get('/v1/models?limit=0').set(anthropic);
    expect([bad.status, bad.body.type, bad.body.error.type]).toEqual([400, 'error', 'invalid_request_error']);
  });

  it('needs a key, and says so in the client’s own shape', async () => {
    const server = await app();
    const openai = await request(server).get('/v1/models').set('authorization', 'Bearer wrong');
    expect([openai.status, openai.body.error.code]).toEqual([401, 'invalid_api_key']);
    const claude = await request(server).get('/v1/models').set({ 'x-api-key': 'wrong', 'anthropic-version': '2023-06-01' });
    expect([claude.status, claude.body]).toEqual([401, { type: 'error', error: { type: 'authentication_error', message: 'invalid API key' } }]);
  });
});

describe('GET /v1/models/{id}', () => {
  it('describes any routed model, wildcard routes and slashes included, in either shape', async () => {
    const server = await app();
    expect((await request(server).get('/v1/models/gpt-4.1').set(bearer)).body).toEqual({ id: 'gpt-4.1', object: 'model', created: JAN_1 / 1000, owned_by: 'openai' });
    expect((await request(server).get('/v1/models/meta-llama/Llama-3-8B').set(bearer)).body.id).toBe('meta-llama/Llama-3-8B');
    expect((await request(server).get('/v1/models/claude-sonnet-4').set(anthropic)).body).toEqual({
      type: 'model',
      id: 'claude-sonnet-4',
      display_name: 'claude-sonnet-4',
      created_at: '2025-01-01T00:00:00.000Z',
    });
  });

  it('is 404 for unknown models and providers without accounts', async () => {
    const server = await app();
    const openai = await request(server).get('/v1/models/glm-4.6').set(bearer);
    expect([openai.status, openai.body.error.code]).toEqual([404, 'model_not_found']);
    const claude = await request(server).get('/v1/models/mistral').set(anthropic);
    expect([claude.status, claude.body.error.type]).toEqual([404, 'not_found_error']);
  });
});

describe('GET /v1beta/models', () => {
  it('lists models in Gemini’s shape, with the key in ?key= or x-goog-api-key', async () => {
    const server = await app();
    const res = await request(server).get(`/v1beta/models?key=${TEST_KEY}`);
    expect(res.status).toBe(200);
    expect(res.body.models.map((m: { name: string }) => m.name)).toEqual(['models/gemini-2.5-pro', 'models/gpt-4o', 'models/meta-llama/Llama-3-8B']);
    expect(res.body.models[0]).toMatchObject({ displayName: 'gemini-2.5-pro', supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'] });
    expect(res.body.nextPageToken).toBeUndefined();
    const first = await request(server).get('/v1beta/models?pageSize=2').set('x-goog-api-key', TEST_KEY);
    expect(first.body.models).toHaveLength(2);
    const rest = await request(server).get(`/v1beta/models?pageSize=2&pageToken=${first.body.nextPageToken}`).set('x-goog-api-key', TEST_KEY);
    expect(rest.body.models.map((m: { name: string }) => m.name)).toEqual(['models/meta-llama/Llama-3-8B']);
  });

  it('describes one model, with or without a models/ prefix, and 404s in Gemini’s shape', async () => {
    const server = await app();
    const one = await request(server).get('/v1beta/models/claude-opus-4').set('x-goog-api-key', TEST_KEY);
    expect(one.body).toMatchObject({ name: 'models/claude-opus-4', displayName: 'claude-opus-4' });
    expect((await request(server).get('/v1beta/models/models%2Fgpt-4o').set('x-goog-api-key', TEST_KEY)).body.name).toBe('models/gpt-4o');
    const missing = await request(server).get('/v1beta/models/glm-4.6').set('x-goog-api-key', TEST_KEY);
    expect([missing.status, missing.body]).toEqual([404, { error: { code: 404, message: expect.stringMatching(/glm-4.6/), status: 'NOT_FOUND' } }]);
  });

  it('answers a bad key with 401 UNAUTHENTICATED', async () => {
    const res = await request(await app()).get('/v1beta/models?key=nope');
    expect([res.status, res.body]).toEqual([401, { error: { code: 401, message: 'invalid API key', status: 'UNAUTHENTICATED' } }]);
  });
});

describe('model lists with discovered models', () => {
  async function discoveringApp(discover: ConstructorParameters<typeof ModelCatalog>[0]['discover']) {
    const fake = await fakeServerDeps({
      routes: [
        rule('gemini-*', { id: 1, providerId: 1, providerName: 'antigravity' }),
        rule('gpt-*', { id: 2, providerId: 2, providerName: 'openai' }),
        rule('glm-*', { id: 3, providerId: 3, providerName: 'glm', providerHasAccounts: false }),
      ],
    });
    const routes: RouteCache = fake.deps.routes;
    const modelCatalog = new ModelCatalog({
      discover,
      providers: () => routes.snapshot.providersWithAccounts(),
      refreshMs: 60_000,
      staleMaxMs: 600_000,
      firstWaitMs: 200,
      fetchTimeoutMs: 1_000,
      retryMs: 10_000,
      logger: silentLogger,
    });
    return createServer({ ...fake.deps, modelCatalog });
  }
  const discovered = (id: string, extra = {}) => ({ id, displayName: id, inputTokenLimit: 0, outputTokenLimit: 0, createdAtMs: 0, ...extra });

  it('lists what each provider’s upstream serves where the routes send it, in all three shapes', async () => {
    const asked: string[] = [];
    const server = await discoveringApp(async (provider) => {
      asked.push(provider.providerName);
      if (provider.providerName === 'openai') return [discovered('gpt-4o', { displayName: 'GPT-4o', createdAtMs: 1_715_299_200_000 }), discovered('o3')];
      return [discovered('gemini-2.5-pro', { displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1_048_576, outputTokenLimit: 65_535 }), discovered('claude-sonnet-4-5')];
    });
    const openai = await request(server).get('/v1/models').set(bearer);
    expect(openai.body.data).toEqual([
      { id: 'gemini-2.5-pro', object: 'model', created: JAN_1 / 1000, owned_by: 'antigravity' },
      { id: 'gpt-4o', object: 'model', created: 1_715_299_200, owned_by: 'openai' },
    ]);
    expect(asked.sort()).toEqual(['antigravity', 'openai']);
    const claude = await request(server).get('/v1/models').set(anthropic);
    expect(claude.body.data.map((m: { display_name: string }) => m.display_name)).toEqual(['Gemini 2.5 Pro', 'GPT-4o']);
    const gemini = await request(server).get('/v1beta/models').set('x-goog-api-key', TEST_KEY);
    expect(gemini.body.models[0]).toMatchObject({ name: 'models/gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1_048_576, outputTokenLimit: 65_535 });
    const one = await request(server).get('/v1beta/models/gemini-2.5-pro').set('x-goog-api-key', TEST_KEY);
    expect(one.body).toMatchObject({ displayName: 'Gemini 2.5 Pro', outputTokenLimit: 65_535 });
  });

  it('answers within the wait bound when an upstream is slow, then lists it once it answered', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const server = await discoveringApp(async (provider) => {
      if (provider.providerName === 'openai') await slow;
      return provider.providerName === 'openai' ? [discovered('gpt-5')] : [discovered('gemini-2.5-flash')];
    });
    const first = await request(server).get('/v1/models').set(bearer);
    expect(first.body.data.map((m: { id: string }) => m.id)).toEqual(['gemini-2.5-flash']);
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const later = await request(server).get('/v1/models').set(bearer);
    expect(later.body.data.map((m: { id: string }) => m.id)).toEqual(['gemini-2.5-flash', 'gpt-5']);
  });
});
