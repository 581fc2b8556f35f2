import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';

let emu: UpstreamEmulator;
beforeAll(async () => {
  emu = await startUpstreamEmulator({ recordLimit: 100, validateBearer: (token) => token === 'ya29.good' });
});
afterAll(() => emu.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${emu.url}${path}`, { headers });
const json = async (res: Response) => (await res.json()) as any;

describe('model lists', () => {
  it('OpenAI and GLM: every model at once, Bearer key required', async () => {
    const openai = await json(await get('/v1/models', { authorization: 'Bearer sk-1' }));
    expect(openai.object).toBe('list');
    expect(openai.data.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-5', 'o3', 'text-embedding-3-small']));
    expect(openai.data[0]).toEqual({ id: 'gpt-4o', object: 'model', created: 1715299200, owned_by: 'system' });
    const glm = await json(await get('/api/paas/v4/models', { authorization: 'Bearer glm-1' }));
    expect(glm.data.map((m: { id: string }) => m.id)).toEqual(['glm-4.6', 'glm-4.5', 'glm-4.5-air', 'glm-4.5-flash']);
    const anonymous = await get('/v1/models');
    expect([anonymous.status, (await json(anonymous)).error.code]).toEqual([401, 'invalid_api_key']);
  });

  it('Anthropic: pages of `limit` by after_id / before_id, x-api-key and anthropic-version required', async () => {
    const headers = { 'x-api-key': 'sk-ant-1', 'anthropic-version': '2023-06-01' };
    const first = await json(await get('/v1/models?limit=3', headers));
    expect(first).toMatchObject({ has_more: true, first_id: 'claude-haiku-4-5-20251001', last_id: 'claude-opus-4-1-20250805' });
    expect(first.data[0]).toEqual({ type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00.000Z' });
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await json(await get(`/v1/models?limit=3${after ? `&after_id=${after}` : ''}`, headers));
      ids.push(...page.data.map((m: { id: string }) => m.id));
      if (!page.has_more) break;
      after = page.last_id;
    }
    expect(ids).toHaveLength(7);
    const back = await json(await get('/v1/models?limit=2&before_id=claude-opus-4-1-20250805', headers));
    expect(back.data.map((m: { id: string }) => m.id)).toEqual(['claude-haiku-4-5-20251001', 'claude-sonnet-4-5-20250929']);
    expect((await get('/v1/models', { 'x-api-key': 'sk-ant-1' })).status).toBe(400);
    const anonymous = await get('/v1/models', { 'anthropic-version': '2023-06-01' });
    expect([anonymous.status, (await json(anonymous)).error.type]).toEqual([401, 'authentication_error']);
  });

  it('Gemini: models/ names with their methods, paged by pageToken, key required', async () => {
    const first = await json(await get('/v1beta/models?pageSize=2', { 'x-goog-api-key': 'AIza-1' }));
    expect(first.models.map((m: { name: string }) => m.name)).toEqual(['models/gemini-2.5-pro', 'models/gemini-2.5-flash']);
    expect(first.models[0]).toMatchObject({ displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1048576, supportedGenerationMethods: expect.arrayContaining(['generateContent']) });
    const names: string[] = [];
    let token = '';
    do {
      const page = await json(await get(`/v1beta/models?pageSize=2&key=AIza-1${token ? `&pageToken=${token}` : ''}`));
      names.push(...page.models.map((m: { name: string }) => m.name));
      token = page.nextPageToken ?? '';
    } while (token !== '');
    expect(names).toContain('models/gemini-embedding-001');
    expect(names).toHaveLength(5);
    const anonymous = await get('/v1beta/models');
    expect([anonymous.status, (await json(anonymous)).error.status]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('Cloud Code: a map keyed by model id for a token the OAuth emulator issued', async () => {
    const post = (token: string) =>
      fetch(`${emu.url}/v1internal:fetchAvailableModels`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"project":"p-1"}' });
    const answer = await json(await post('ya29.good'));
    expect(Object.keys(answer.models)).toEqual(expect.arrayContaining(['gemini-2.5-pro', 'claude-sonnet-4-5', 'chat_20706', 'tab_flash_lite_preview']));
    expect(answer.models['claude-sonnet-4-5']).toMatchObject({ displayName: 'Claude Sonnet 4.5', maxTokens: 200000, maxOutputTokens: 64000, quotaInfo: { remainingFraction: 1 } });
    expect((await post('ya29.forged')).status).toBe(401);
  });

  it('is steerable and recorded like the chat endpoints', async () => {
    emu.script({ match: { path: '/v1beta/models' }, status: 503, times: 1 });
    expect((await get('/v1beta/models', { 'x-goog-api-key': 'AIza-2' })).status).toBe(503);
    expect((await get('/v1beta/models', { 'x-goog-api-key': 'AIza-2' })).status).toBe(200);
    expect(emu.requests().filter((r) => r.credential === 'AIza-2').map((r) => [r.method, r.path, r.format, r.status])).toEqual([
      ['GET', '/v1beta/models', 'gemini', 503],
      ['GET', '/v1beta/models', 'gemini', 200],
    ]);
  });

  it('serves GLM’s chat path in the OpenAI format', async () => {
    const res = await fetch(`${emu.url}/api/paas/v4/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer glm-1', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'glm-4.6', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect([res.status, (await json(res)).object]).toEqual([200, 'chat.completion']);
  });
});
