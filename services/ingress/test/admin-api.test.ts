import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialCipher } from '@aigw/secrets';
import { hashClientKey } from '../src/keys/client-key.js';
import { ADMIN_TOKEN } from './support/fake-deps.js';
import { startDbServer, type DbServer } from './support/db-server.js';

let server: DbServer;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
// fakeServerDeps encrypts with a key of 32 bytes of 0x01.
const cipher = new CredentialCipher(Buffer.alloc(32, 1));

const api = () => ({
  get: (path: string) => request(server.app).get(`/api/v1${path}`).set(admin),
  post: (path: string, body?: object) => request(server.app).post(`/api/v1${path}`).set(admin).send(body),
  patch: (path: string, body: object) => request(server.app).patch(`/api/v1${path}`).set(admin).send(body),
  delete: (path: string) => request(server.app).delete(`/api/v1${path}`).set(admin),
});

beforeAll(async () => {
  server = await startDbServer();
  await api().post('/providers', { name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.example' }).expect(201);
  await api().post('/providers', { name: 'antigravity', kind: 'antigravity', baseUrl: 'https://cloudcode.example' }).expect(201);
});

afterAll(async () => {
  await server?.close();
});

describe('admin token', () => {
  it('is required on every admin endpoint, unknown ones included', async () => {
    for (const path of ['/api/v1/accounts', '/api/v1/keys', '/api/v1/nothing-here']) {
      const res = await request(server.app).get(path).set('authorization', 'Bearer not-the-token');
      expect(res.status).toBe(401);
      expect(res.body.error.type).toBeDefined();
    }
    expect((await api().get('/nothing-here')).status).toBe(404);
  });
});

describe('providers', () => {
  it('rejects duplicates and bad kinds', async () => {
    expect((await api().post('/providers', { name: 'openai', kind: 'openai', baseUrl: 'https://x.example' })).status).toBe(409);
    const bad = await api().post('/providers', { name: 'x', kind: 'cohere', baseUrl: 'https://x.example' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(['kind']);
  });

  it('sets an openai provider to the Responses wire, and refuses that wire for any other kind', async () => {
    const created = await api().post('/providers', { name: 'openai-responses', kind: 'openai', wire: 'responses', baseUrl: 'https://api.openai.example/v1' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'openai-responses', kind: 'openai', wire: 'responses' });
    const id = created.body.id as number;
    expect((await api().get(`/providers/${id}`)).body.wire).toBe('responses');
    const plain = (await api().get('/providers')).body.data.find((p: { name: string }) => p.name === 'openai');
    expect(plain.wire).toBeNull();

    const wrongKind = await api().post('/providers', { name: 'claude-responses', kind: 'anthropic', wire: 'responses', baseUrl: 'https://x.example' });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error).toMatchObject({ type: 'invalid_request_error', param: 'wire', message: expect.stringContaining('anthropic') });
    const unknownWire = await api().post('/providers', { name: 'odd', kind: 'openai', wire: 'grpc', baseUrl: 'https://x.example' });
    expect(unknownWire.status).toBe(400);
    expect(Object.keys(unknownWire.body.error.fields)).toEqual(['wire']);

    // A kind change that would leave the wire behind is refused; with the wire cleared it goes through.
    expect((await api().patch(`/providers/${id}`, { kind: 'anthropic' })).status).toBe(400);
    const cleared = await api().patch(`/providers/${id}`, { wire: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.wire).toBeNull();
    expect((await api().patch(`/providers/${id}`, { wire: 'responses' })).body.wire).toBe('responses');
  });
});

describe('accounts', () => {
  it('encrypts credentials, never returns them, and lists, reads, patches and deletes', async () => {
    const created = await api().post('/accounts', {
      provider: 'openai',
      label: 'main',
      authType: 'api_key',
      credentials: { apiKey: 'sk-live-SECRET' },
      rateLimitPerMin: 60,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ provider: 'openai', label: 'main', authType: 'api_key', isActive: true, rateLimitPerMin: 60 });
    expect(JSON.stringify(created.body)).not.toMatch(/SECRET|authData/);
    const id = created.body.id as number;
    const row = await server.prisma.account.findUniqueOrThrow({ where: { id } });
    expect(row.authData).not.toContain('SECRET');
    expect(cipher.decryptJson(row.authData)).toEqual({ apiKey: 'sk-live-SECRET' });
    expect(server.notified).toContainEqual({ entity: 'account', id });

    const list = await api().get('/accounts');
    expect(list.body.data.map((a: { id: number }) => a.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain('SECRET');

    const patched = await api().patch(`/accounts/${id}`, { label: 'renamed', credentials: { apiKey: 'sk-new-SECRET' }, settings: { project: 'p1' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ label: 'renamed', settings: { project: 'p1' } });
    const updated = await server.prisma.account.findUniqueOrThrow({ where: { id } });
    expect(cipher.decryptJson(updated.authData)).toEqual({ apiKey: 'sk-new-SECRET' });

    expect((await api().delete(`/accounts/${id}`)).status).toBe(204);
    expect((await api().get(`/accounts/${id}`)).status).toBe(404);
  });

  it('validates credentials per auth type and names the fields at fault', async () => {
    const res = await api().post('/accounts', {
      provider: 'antigravity',
      label: 'g',
      authType: 'oauth',
      credentials: { clientId: 'c', clientSecret: 's', tokenUrl: 'not a url' },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['credentials.refreshToken', 'credentials.tokenUrl']);
    const wrongShape = await api().post('/accounts', { provider: 'openai', label: 'b', authType: 'bearer', credentials: { apiKey: 'x' } });
    expect(wrongShape.status).toBe(400);
    const unknownProvider = await api().post('/accounts', { provider: 'nope', label: 'b', authType: 'bearer', credentials: { token: 'x' } });
    expect(unknownProvider.status).toBe(400);
    expect(unknownProvider.body.error.param).toBe('provider');
  });

  it('answers 404 for unknown ids and refuses an authType change without credentials', async () => {
    expect((await api().get('/accounts/999999')).status).toBe(404);
    expect((await api().patch('/accounts/999999', { label: 'x' })).status).toBe(404);
    expect((await api().delete('/accounts/abc')).status).toBe(404);
    const created = await api().post('/accounts', { providerId: 1, label: 'k', authType: 'api_key', credentials: { apiKey: 'k' } });
    const res = await api().patch(`/accounts/${created.body.id}`, { authType: 'bearer' });
    expect(res.status).toBe(400);
    await api().delete(`/accounts/${created.body.id}`).expect(204);
  });
});

describe('proxies', () => {
  it('masks passwords everywhere, binds accounts, and rebinds when a proxy goes away', async () => {
    const accountIds: number[] = [];
    for (const label of ['a1', 'a2', 'a3']) {
      const res = await api().post('/accounts', { provider: 'openai', label, authType: 'api_key', credentials: { apiKey: `k-${label}` } });
      accountIds.push(res.body.id);
    }
    const first = await api().post('/proxies', { label: 'p1', proxyUrl: 'http://alice:pa55word@10.0.0.1:3128', capacity: 2 });
    expect(first.status).toBe(201);
    expect(first.body.proxyUrl).toBe('http://alice:***@10.0.0.1:3128');
    const second = await api().post('/proxies', { label: 'p2', proxyUrl: 'http://bob:hunter2@10.0.0.2:3128', capacity: 2 });
    expect((await api().post('/proxies', { label: 'dup', proxyUrl: 'http://bob:hunter2@10.0.0.2:3128' })).status).toBe(409);

    for (const path of ['/proxies', `/proxies/${first.body.id}`, '/proxies/assignments']) {
      const text = JSON.stringify((await api().get(path)).body);
      expect(text).not.toMatch(/pa55word|hunter2/);
    }

    const assignments = (await api().get('/proxies/assignments')).body.data as { proxyId: number; accounts: { id: number }[] }[];
    const bound = assignments.flatMap((p) => p.accounts.map((a) => a.id));
    expect(bound.sort()).toEqual([...accountIds].sort());
    expect(assignments.every((p) => p.accounts.length <= 2)).toBe(true);

    const disabled = await api().patch(`/proxies/${second.body.id}`, { isActive: false });
    expect(disabled.body.isActive).toBe(false);
    const afterDisable = (await api().get('/proxies/assignments')).body.data as { proxyId: number; accounts: unknown[] }[];
    expect(afterDisable.find((p) => p.proxyId === second.body.id)!.accounts).toEqual([]);
    expect(server.notified).toContainEqual({ entity: 'proxy', id: second.body.id });

    const recalculated = await api().post('/proxies/recalculate');
    expect(recalculated.status).toBe(200);
    expect(recalculated.body).toMatchObject({ changed: 0, assignments: expect.any(Array) });

    expect((await api().delete(`/proxies/${first.body.id}`)).status).toBe(204);
    const rows = await server.prisma.account.findMany({ where: { id: { in: accountIds } } });
    expect(rows.every((a) => a.proxyId === null)).toBe(true);
    for (const id of accountIds) await api().delete(`/accounts/${id}`).expect(204);
  });

  it('refuses a masked password written back and unsupported schemes', async () => {
    expect((await api().post('/proxies', { label: 'x', proxyUrl: 'http://u:***@10.0.0.9:1' })).status).toBe(400);
    expect((await api().post('/proxies', { label: 'x', proxyUrl: 'ftp://10.0.0.9' })).status).toBe(400);
  });
});

describe('routes', () => {
  it('creates, updates and deletes routes, each write announced', async () => {
    const created = await api().post('/routes', { pattern: 'gpt-*', provider: 'openai', priority: 5, fallbackModel: 'gpt-4o-mini' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ pattern: 'gpt-*', provider: 'openai', priority: 5, upstreamModel: null, sessionAffinity: true, isActive: true });
    const id = created.body.id as number;
    const patched = await api().patch(`/routes/${id}`, { upstreamModel: 'gpt-4.1', provider: 'antigravity', sessionAffinity: false });
    expect(patched.body).toMatchObject({ upstreamModel: 'gpt-4.1', provider: 'antigravity', sessionAffinity: false });
    expect((await api().patch(`/routes/${id}`, { sessionAffinity: 'yes' })).status).toBe(400);
    expect((await api().get('/routes')).body.data).toHaveLength(1);
    expect((await api().post('/routes', { pattern: 'bad pattern!', provider: 'openai' })).status).toBe(400);
    expect((await api().delete(`/routes/${id}`)).status).toBe(204);
    expect((await api().patch(`/routes/${id}`, { priority: 1 })).status).toBe(404);
    expect(server.notified.filter((c) => c.entity === 'route' && c.id === id)).toHaveLength(3);
  });
});

describe('API keys', () => {
  it('shows the plaintext once, stores only its hash, and revokes', async () => {
    const created = await api().post('/keys', { name: 'ci', rateLimitPerMin: 100 });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^aigw-[A-Za-z0-9_-]{43}$/);
    expect(created.body.prefix).toBe(key.slice(0, 12));
    const row = await server.prisma.apiKey.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.keyHash).toBe(hashClientKey(key));

    const listed = await api().get('/keys');
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(JSON.stringify(listed.body)).not.toContain(row.keyHash);

    const revoked = await api().delete(`/keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await api().delete('/keys/424242')).status).toBe(404);
  });
  it('sets, shows and clears limits; refuses bad ones', async () => {
    const created = await api().post('/keys', { name: 'limited', tokensPerMin: 5000, maxBudget: 2.5, budgetPeriod: 'week', models: ['gpt-4o', 'claude-*'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      tokensPerMin: 5000,
      maxBudget: 2.5,
      budgetPeriod: 'week',
      models: ['gpt-4o', 'claude-*'],
      expiresAt: null,
      lastUsedAt: null,
      spend: { spentUsd: 0, remainingUsd: 2.5 },
    });
    // The week starts on a Monday (UTC).
    expect(new Date(created.body.spend.periodStart).getUTCDay()).toBe(1);
    const row = await server.prisma.apiKey.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.budgetMicroUsd).toBe(2_500_000n);
    const cleared = await api().patch(`/keys/${created.body.id}`, { maxBudget: null, models: null, tokensPerMin: null });
    expect(cleared.body).toMatchObject({ maxBudget: null, budgetPeriod: null, models: null, tokensPerMin: null, spend: null });
    expect((await api().get(`/keys/${created.body.id}`)).body.name).toBe('limited');
    for (const bad of [{ maxBudget: -1 }, { budgetPeriod: 'year' }, { expiresAt: 'tomorrow' }, { models: 'gpt-4o' }]) {
      expect((await api().patch(`/keys/${created.body.id}`, bad)).status).toBe(400);
    }
    expect((await api().get('/keys/999999')).status).toBe(404);
  });

  it('reports a key’s usage per day and model, and usage per key, model, account and provider, from request logs', async () => {
    const key = (await api().post('/keys', { name: 'usage' })).body;
    const now = new Date();
    const old = new Date(now.getTime() - 40 * 86_400_000);
    const log = (i: number, model: string, cost: bigint | null, createdAt = now) => ({
      requestId: `usage-${key.id}-${i}`,
      apiKeyId: key.id,
      model,
      statusCode: 200,
      inputTokens: 100,
      outputTokens: 10,
      cachedTokens: 40,
      costMicroUsd: cost,
      latencyMs: 5,
      clientFormat: 'openai',
      startedAt: createdAt,
      createdAt,
    });
    await server.prisma.requestLog.createMany({
      data: [log(1, 'gpt-4o', 1_500n), log(2, 'gpt-4o', 2_500n), log(3, 'emu-model', null), log(4, 'gpt-4o', 9_000_000n, old)],
    });
    const usage = await api().get(`/keys/${key.id}/usage?days=7`);
    expect(usage.status).toBe(200);
    const today = now.toISOString().slice(0, 10);
    expect(usage.body.days).toEqual([{ day: today, requests: 3, inputTokens: 300, outputTokens: 30, cachedTokens: 120, costUsd: 0.004 }]);
    expect(usage.body.byModel).toEqual([
      { model: 'gpt-4o', requests: 2, inputTokens: 200, outputTokens: 20, cachedTokens: 80, costUsd: 0.004 },
      { model: 'emu-model', requests: 1, inputTokens: 100, outputTokens: 10, cachedTokens: 40, costUsd: 0 },
    ]);
    expect(usage.body.totals).toEqual({ requests: 3, inputTokens: 300, outputTokens: 30, cachedTokens: 120, costUsd: 0.004 });
    expect((await api().get(`/keys/${key.id}/usage?days=60`)).body.totals.costUsd).toBe(9.004);

    const byKey = await api().get('/stats/usage?by=key&days=7');
    expect(byKey.body.by).toBe('key');
    expect(byKey.body.data.find((row: { id: number }) => row.id === key.id)).toEqual({
      id: key.id,
      label: `usage (${key.prefix}…)`,
      requests: 3,
      inputTokens: 300,
      outputTokens: 30,
      cachedTokens: 120,
      costUsd: 0.004,
    });
    const byModel = (await api().get('/stats/usage?by=model')).body.data;
    expect(byModel.find((row: { id: string }) => row.id === 'gpt-4o')).toMatchObject({ label: 'gpt-4o', requests: 2, costUsd: 0.004 });
    expect((await api().get('/stats/usage?by=account')).status).toBe(200);
    expect((await api().get('/stats/usage?by=provider')).status).toBe(200);
    expect((await api().get('/stats/usage?by=colour')).status).toBe(400);

    const logs = (await api().get('/stats/logs?limit=1000')).body.data;
    expect(logs.find((row: { requestId: string }) => row.requestId === `usage-${key.id}-1`)).toMatchObject({ costMicroUsd: 1500, costUsd: 0.0015 });
  });
});

describe('stats', () => {
  it('returns the last N days of rollups with totals', async () => {
    const proxy = await api().post('/proxies', { label: 'stats', proxyUrl: 'http://10.0.0.50:3128' });
    const proxyId = proxy.body.id as number;
    const today = new Date(new Date().toISOString().slice(0, 10));
    const longAgo = new Date(today.getTime() - 30 * 86_400_000);
    await server.prisma.proxyStat.createMany({
      data: [
        { proxyId, day: today, requests: 10, successes: 9, failures: 1, totalLatencyMs: 1_000n, inputTokens: 100n, outputTokens: 50n },
        { proxyId, day: longAgo, requests: 99, successes: 99, failures: 0, totalLatencyMs: 9_900n, inputTokens: 1n, outputTokens: 1n },
      ],
    });
    const res = await api().get(`/stats/proxies/${proxyId}?days=7`);
    expect(res.status).toBe(200);
    expect(res.body.days).toEqual([
      { day: today.toISOString().slice(0, 10), requests: 10, successes: 9, failures: 1, avgLatencyMs: 100, inputTokens: 100, outputTokens: 50 },
    ]);
    expect(res.body.totals).toEqual({ requests: 10, successes: 9, failures: 1, avgLatencyMs: 100, inputTokens: 100, outputTokens: 50 });
    expect((await api().get(`/stats/proxies/${proxyId}?days=31`)).body.totals.requests).toBe(109);
    expect((await api().get(`/stats/proxies/${proxyId}?days=0`)).status).toBe(400);
    expect((await api().get('/stats/proxies/777777')).status).toBe(404);
  });

  it('returns account rollups and the latest request logs, newest first, capped at 1000', async () => {
    const account = await api().post('/accounts', { provider: 'openai', label: 'st', authType: 'api_key', credentials: { apiKey: 'k' } });
    const stats = await api().get(`/stats/accounts/${account.body.id}`);
    expect(stats.body).toMatchObject({ accountId: account.body.id, days: [], totals: { requests: 0 } });

    const now = Date.now();
    await server.prisma.requestLog.createMany({
      data: [1, 2, 3].map((n) => ({
        requestId: `req-${n}`,
        model: 'gpt-4o',
        statusCode: 200,
        latencyMs: n,
        clientFormat: 'openai',
        affinity: n === 3 ? 'hit' : null,
        clientRequestId: n === 2 ? null : 'client-run-9',
        startedAt: new Date(now + n),
        createdAt: new Date(now + n),
      })),
    });
    const logs = await api().get('/stats/logs?limit=2');
    expect(logs.body.data.map((l: { requestId: string; affinity: string | null }) => [l.requestId, l.affinity])).toEqual([
      ['req-3', 'hit'],
      ['req-2', null],
    ]);
    expect(typeof logs.body.data[0].id).toBe('number');
    expect((await api().get('/stats/logs?limit=5000')).status).toBe(200);

    const byClientId = await api().get('/stats/logs?clientRequestId=client-run-9');
    expect(byClientId.body.data.map((l: { requestId: string; clientRequestId: string }) => [l.requestId, l.clientRequestId])).toEqual([
      ['req-3', 'client-run-9'],
      ['req-1', 'client-run-9'],
    ]);
    expect((await api().get('/stats/logs?clientRequestId=req-3')).body.data).toEqual([]);
    expect((await api().get(`/stats/logs?clientRequestId=${'x'.repeat(65)}`)).status).toBe(400);
  });
});

describe('request logs for the console', () => {
  const hour = 3_600_000;
  const base = Math.floor(Date.now() / hour) * hour - 2 * hour;

  beforeAll(async () => {
    const provider = (await api().get('/providers')).body.data.find((p: { name: string }) => p.name === 'openai');
    const key = await api().post('/keys', { name: 'console-key' }).expect(201);
    keyId = key.body.id as number;
    await server.prisma.requestLog.createMany({
      data: [
        { requestId: 'cs-1', model: 'cs-large', statusCode: 200, inputTokens: 10, outputTokens: 5, at: base + 60_000 },
        { requestId: 'cs-2', model: 'cs-large', statusCode: 429, errorClass: 'rate_limited', at: base + 120_000 },
        { requestId: 'cs-3', model: 'cs-mini', statusCode: 200, inputTokens: 7, outputTokens: 3, at: base + hour + 60_000, clientRequestId: 'cs-client' },
        { requestId: 'cs-4', model: 'cs-mini', statusCode: 502, errorClass: 'upstream_error', at: base + hour + 120_000 },
      ].map(({ at, ...row }) => ({
        ...row,
        apiKeyId: key.body.id,
        providerId: provider.id,
        latencyMs: 20,
        clientFormat: 'openai',
        startedAt: new Date(at),
        createdAt: new Date(at),
      })),
    });
  });

  let keyId = 0;
  // Other tests of this file log requests too (without a key): each query here is about this block's key.
  const ids = async (query: string) => (await api().get(`/stats/logs?apiKeyId=${keyId}&${query}`)).body.data.map((l: { requestId: string }) => l.requestId);

  it('filters by model, status class, error, time range, key and request id', async () => {
    expect(await ids('model=cs-mini')).toEqual(['cs-4', 'cs-3']);
    expect(await ids('status=4xx')).toEqual(['cs-2']);
    expect(await ids('status=5xx&model=cs-mini')).toEqual(['cs-4']);
    expect(await ids('status=200&model=cs-large')).toEqual(['cs-1']);
    expect(await ids('status=error&from=' + new Date(base).toISOString())).toEqual(['cs-4', 'cs-2']);
    expect(await ids(`from=${new Date(base).toISOString()}&to=${new Date(base + hour).toISOString()}`)).toEqual(['cs-2', 'cs-1']);
    expect(await ids('limit=2')).toEqual(['cs-4', 'cs-3']);
    const all = async (query: string) => (await api().get(`/stats/logs?${query}`)).body.data.map((l: { requestId: string }) => l.requestId);
    expect(await all('requestId=cs-3')).toEqual(['cs-3']);
    expect(await all('clientRequestId=cs-client')).toEqual(['cs-3']);
    expect(await all('model=cs-large')).toEqual(['cs-2', 'cs-1']);
    expect(await all('apiKeyId=999999')).toEqual([]);
    for (const bad of ['status=6xx', 'status=ok', 'from=yesterday', 'apiKeyId=abc', 'accountId=-1']) {
      const res = await api().get(`/stats/logs?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.type).toBe('invalid_request_error');
    }
  });

  it('shows one log row by its request id, without body or secret, and 404 for an unknown one', async () => {
    const one = await api().get('/stats/logs/cs-2');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ requestId: 'cs-2', model: 'cs-large', statusCode: 429, errorClass: 'rate_limited', costUsd: null });
    expect(typeof one.body.id).toBe('number');
    expect(Object.keys(one.body).filter((k) => /body|key$|secret|authorization/i.test(k))).toEqual([]);
    const missing = await api().get('/stats/logs/no-such-request');
    expect(missing.status).toBe(404);
  });

  it('buckets requests, errors and tokens by hour per provider and per model, with zero-filled gaps', async () => {
    const window = `from=${new Date(base).toISOString()}&to=${new Date(base + 3 * hour).toISOString()}`;
    const byProvider = await api().get(`/stats/timeseries?bucket=hour&by=provider&${window}`);
    expect(byProvider.status).toBe(200);
    expect(byProvider.body).toMatchObject({ bucket: 'hour', from: new Date(base).toISOString() });
    const openai = byProvider.body.series.find((s: { label: string }) => s.label === 'openai');
    expect(openai.points).toEqual([
      { t: new Date(base).toISOString(), requests: 2, errors: 1, inputTokens: 10, outputTokens: 5, costUsd: 0 },
      { t: new Date(base + hour).toISOString(), requests: 2, errors: 1, inputTokens: 7, outputTokens: 3, costUsd: 0 },
      { t: new Date(base + 2 * hour).toISOString(), requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    ]);
    const byModel = await api().get(`/stats/timeseries?bucket=day&by=model&${window}`);
    const totals = Object.fromEntries(
      byModel.body.series.map((s: { label: string; points: { requests: number }[] }) => [s.label, s.points.reduce((n, p) => n + p.requests, 0)]),
    );
    expect(totals).toMatchObject({ 'cs-large': 2, 'cs-mini': 2 });
    const byKey = await api().get(`/stats/timeseries?by=key&${window}`);
    const keySeries = byKey.body.series.find((s: { key: string }) => s.key === String(keyId));
    expect(keySeries.label).toMatch(/^console-key \(aigw-.{7}…\)$/);
    expect(keySeries.points.map((p: { requests: number }) => p.requests)).toEqual([2, 2, 0]);
    expect((await api().get('/stats/timeseries?bucket=minute')).status).toBe(400);
    expect((await api().get(`/stats/timeseries?from=${new Date(base + hour).toISOString()}&to=${new Date(base).toISOString()}`)).status).toBe(400);
  });
});
