import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_CODE_MODELS, GEMINI_MODELS, GLM_MODELS, OPENAI_MODELS, type CatalogModel } from '@aigw/emulators';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, chat, post, scrape } from './support/http.js';

// Issue 12, item 6: after a fresh start the three model-list shapes hold every model the demo answers: what
// each demo provider's upstream (the emulator) lists, where the demo routes send it (gemini-* and claude-* to
// antigravity, gpt-* to openai, glm-* to glm), fetched through the providers' accounts and proxies. The official
// SDKs page through them; a model an operator names appears.

let ctx: E2eContext;

/** What a route pattern prefix lets through from a provider's own list. */
const routed = (models: readonly CatalogModel[], ...prefixes: string[]) => models.map((m) => m.id).filter((id) => prefixes.some((p) => id.startsWith(p)));

/** The demo's chat models, from the emulator's own catalogs: Cloud Code's editor-internal entries never match a route. */
const CHAT_MODELS = [...routed(CLOUD_CODE_MODELS, 'gemini-', 'claude-'), ...routed(OPENAI_MODELS, 'gpt-'), ...routed(GLM_MODELS, 'glm-')];
/** The demo's embedding models: OpenAI's (text-embedding-* → openai) and Gemini's (gemini-embedding-* → gemini). */
const EMBEDDING_MODELS = [...routed(OPENAI_MODELS, 'text-embedding-'), ...routed(GEMINI_MODELS, 'gemini-embedding-')];
const DEMO_MODELS = [...CHAT_MODELS, ...EMBEDDING_MODELS].sort();

const openai = () => new OpenAI({ apiKey: ctx.stack.demoKey, baseURL: `${ctx.stack.ingressUrl}/v1`, maxRetries: 0 });
const anthropic = () => new Anthropic({ apiKey: ctx.stack.demoKey, baseURL: ctx.stack.ingressUrl, maxRetries: 0 });
const genai = () => new GoogleGenAI({ apiKey: ctx.stack.demoKey, httpOptions: { baseUrl: ctx.stack.ingressUrl } });

async function openAiIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const model of openai().models.list()) ids.push(model.id);
  return ids;
}

beforeAll(async () => {
  ctx = await startE2eStack('models');
});

afterAll(async () => {
  await ctx?.teardown();
});

describe('model lists after a fresh start', () => {
  it('openai.models.list() holds every model the demo routes to a provider whose upstream lists it, and only those', async () => {
    expect(DEMO_MODELS).toEqual(expect.arrayContaining(['claude-sonnet-4-5', 'gemini-2.5-pro', 'gpt-4o', 'glm-4.6', 'text-embedding-3-small', 'gemini-embedding-001']));
    const ids = await openAiIds();
    expect(ids).toEqual(DEMO_MODELS);
    const owners = new Map<string, string>();
    for await (const model of openai().models.list()) owners.set(model.id, model.owned_by);
    expect([owners.get('claude-sonnet-4-5'), owners.get('gpt-5'), owners.get('glm-4.5-air')]).toEqual(['antigravity', 'openai', 'glm']);
    expect((await openai().models.retrieve('gpt-4.1')).owned_by).toBe('openai');
  });

  it('every listed model answers', async () => {
    for (const model of CHAT_MODELS) {
      const answer = await chat(ctx.stack, { model, messages: [{ role: 'user', content: 'ping' }] });
      expect(answer.status, `${model}: ${answer.text}`).toBe(200);
    }
    for (const model of EMBEDDING_MODELS) {
      const answer = await post(ctx.stack, '/v1/embeddings', { model, input: 'ping' }, { bearer: ctx.stack.demoKey });
      expect(answer.status, `${model}: ${answer.text}`).toBe(200);
    }
  });

  it('the lists were fetched through each provider’s accounts and proxies', () => {
    const lists = ctx.stack.emulators.upstream.requests().filter((r) => ['/v1internal:fetchAvailableModels', '/v1/models', '/api/paas/v4/models'].includes(r.path));
    expect(new Set(lists.map((r) => r.path))).toEqual(new Set(['/v1internal:fetchAvailableModels', '/v1/models', '/api/paas/v4/models']));
    for (const request of lists) expect([request.status, request.viaProxy]).toEqual([200, expect.stringMatching(/^proxy-\d$/)]);
  });

  it('@anthropic-ai/sdk models.list() pages through all of them, with the upstream’s display names', async () => {
    const models: Anthropic.ModelInfo[] = [];
    for await (const model of anthropic().models.list({ limit: 4 })) models.push(model);
    expect(models.map((m) => m.id)).toEqual(DEMO_MODELS);
    expect(models.find((m) => m.id === 'claude-sonnet-4-5')?.display_name).toBe('Claude Sonnet 4.5');
    const page = await anthropic().models.list({ limit: 4 });
    expect([page.data.length, page.has_more]).toEqual([4, true]);
    expect((await anthropic().models.retrieve('gemini-2.5-flash')).display_name).toBe('Gemini 2.5 Flash');
  });

  it('@google/genai models.list() pages through all of them, with token limits', async () => {
    const names: string[] = [];
    const pager = await genai().models.list({ config: { pageSize: 5 } });
    for await (const model of pager) names.push(model.name ?? '');
    expect(names).toEqual(DEMO_MODELS.map((id) => `models/${id}`));
    const pro = await genai().models.get({ model: 'gemini-2.5-pro' });
    expect([pro.displayName, pro.inputTokenLimit, pro.outputTokenLimit]).toEqual(['Gemini 2.5 Pro', 1_048_576, 65_535]);
  });

  it('lists a model an operator names on a provider or on a route', async () => {
    const providers = (await admin(ctx.stack, 'GET', '/providers')).json as { data: Array<{ id: number; name: string }> };
    const openaiProvider = providers.data.find((p) => p.name === 'openai')!;
    expect((await admin(ctx.stack, 'PATCH', `/providers/${openaiProvider.id}`, { models: ['gpt-4.5-preview'] })).status).toBe(200);
    const routes = (await admin(ctx.stack, 'GET', '/routes')).json as { data: Array<{ id: number; pattern: string }> };
    const claude = routes.data.find((r) => r.pattern === 'claude-*')!;
    expect((await admin(ctx.stack, 'PATCH', `/routes/${claude.id}`, { models: ['claude-3-opus-20240229'] })).status).toBe(200);
    await eventually(async () => expect(await openAiIds()).toEqual([...DEMO_MODELS, 'claude-3-opus-20240229', 'gpt-4.5-preview'].sort()));
    const answer = await chat(ctx.stack, { model: 'claude-3-opus-20240229', messages: [{ role: 'user', content: 'ping' }] });
    expect(answer.status).toBe(200);
  });

  it('keeps serving a provider’s list while its upstream model list fails', async () => {
    const { upstream } = ctx.stack.emulators;
    const refused = () => upstream.requests().filter((r) => r.path === '/api/paas/v4/models' && r.status === 503).length;
    expect(await openAiIds()).toEqual(expect.arrayContaining(routed(GLM_MODELS, 'glm-')));
    upstream.script({ match: { path: '/api/paas/v4/models' }, status: 503 });
    try {
      const providers = (await admin(ctx.stack, 'GET', '/providers')).json as { data: Array<{ id: number; name: string }> };
      const glm = providers.data.find((p) => p.name === 'glm')!;
      // A provider change makes every ingress fetch every list again; glm's upstream now refuses.
      expect((await admin(ctx.stack, 'PATCH', `/providers/${glm.id}`, { isActive: true })).status).toBe(200);
      await eventually(async () => expect(refused()).toBeGreaterThan(0));
      expect(await openAiIds()).toEqual(expect.arrayContaining(routed(GLM_MODELS, 'glm-')));
      // The refusal reaches ingress's catalog just after the emulator recorded it.
      await eventually(async () => {
        const metrics = (await scrape(ctx.stack)).text;
        expect(metrics).toMatch(/^aigw_model_list_fetch_failing\{provider="glm"[^}]*\} 1$/m);
        expect(metrics).toMatch(/^aigw_model_list_fetch_failing\{provider="openai"[^}]*\} 0$/m);
        expect(metrics).toMatch(/^aigw_model_list_age_seconds\{provider="glm"[^}]*\} \d/m);
      });
    } finally {
      upstream.clearScripts();
    }
  });
});
