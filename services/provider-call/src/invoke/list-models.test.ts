import { describe, expect, it } from 'vitest';
import { createLogger } from '@aigw/logger';
import { ListModelsRequest } from '@aigw/proto';
import type { UpstreamRequest } from '../adapters/provider-adapter.js';
import type { UpstreamExchange } from '../upstream/upstream-client.js';
import { listModels } from './list-models.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const ctx = { deadline: Date.now() + 5_000, signal: new AbortController().signal, metadata: {} } as never;

function request(providerKind: string, baseUrl = 'http://up', settingsJson = ''): ListModelsRequest {
  return ListModelsRequest.fromPartial({
    requestId: 'r1',
    account: { id: 3, providerKind, baseUrl, proxyId: 9, settingsJson },
    credential: { headerName: 'x-goog-api-key', headerValue: 'k-1' },
  });
}

/** An upstream answering each call with the next scripted answer, recording what was sent. */
function upstream(answers: Array<{ status?: number; body: unknown; headers?: Record<string, string> }>) {
  const sent: Array<{ request: UpstreamRequest; proxyId: number }> = [];
  return {
    sent,
    deps: {
      logger,
      upstream: {
        send: () => Promise.reject(new Error('not used')),
        async exchange(req: UpstreamRequest, proxyId: number): Promise<UpstreamExchange> {
          sent.push({ request: req, proxyId });
          const next = answers.shift();
          if (next === undefined) throw new Error('no more answers');
          return { kind: 'answer', status: next.status ?? 200, headers: next.headers ?? {}, text: JSON.stringify(next.body), headersMs: 1 };
        },
      },
    },
  };
}

describe('listModels', () => {
  it('follows Gemini pages through the account’s proxy with its credential, keeping the models it can call (generateContent, embedContent)', async () => {
    const up = upstream([
      {
        body: {
          models: [
            { name: 'models/gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1048576, outputTokenLimit: 65536, supportedGenerationMethods: ['generateContent', 'countTokens'] },
            { name: 'models/text-embedding-004', supportedGenerationMethods: ['embedContent'] },
            { name: 'models/imagen-4.0-generate-001', supportedGenerationMethods: ['predict'] },
          ],
          nextPageToken: 'p2',
        },
      },
      { body: { models: [{ name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent'] }] } },
    ]);
    const answer = await listModels(up.deps, request('gemini'), ctx);
    expect(answer.models).toEqual([
      { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1048576, outputTokenLimit: 65536, createdAt: 0 },
      { id: 'text-embedding-004', displayName: 'text-embedding-004', inputTokenLimit: 0, outputTokenLimit: 0, createdAt: 0 },
      { id: 'gemini-2.5-flash', displayName: 'gemini-2.5-flash', inputTokenLimit: 0, outputTokenLimit: 0, createdAt: 0 },
    ]);
    expect(up.sent.map((s) => [s.request.method, s.request.url, s.proxyId, s.request.headers['x-goog-api-key']])).toEqual([
      ['GET', 'http://up/v1beta/models?pageSize=1000', 9, 'k-1'],
      ['GET', 'http://up/v1beta/models?pageSize=1000&pageToken=p2', 9, 'k-1'],
    ]);
  });

  it('follows Anthropic pages by after_id while has_more', async () => {
    const up = upstream([
      { body: { data: [{ type: 'model', id: 'claude-opus-4-1', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' }], has_more: true, first_id: 'claude-opus-4-1', last_id: 'claude-opus-4-1' } },
      { body: { data: [{ type: 'model', id: 'claude-haiku-4-5', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' }], has_more: false, last_id: 'claude-haiku-4-5' } },
    ]);
    const answer = await listModels(up.deps, request('anthropic', 'http://up/'), ctx);
    expect(answer.models.map((m) => [m.id, m.displayName, m.createdAt])).toEqual([
      ['claude-opus-4-1', 'Claude Opus 4.1', Date.UTC(2025, 7, 5) / 1000],
      ['claude-haiku-4-5', 'Claude Haiku 4.5', Date.UTC(2025, 9, 1) / 1000],
    ]);
    expect(up.sent.map((s) => s.request.url)).toEqual(['http://up/v1/models?limit=1000', 'http://up/v1/models?limit=1000&after_id=claude-opus-4-1']);
    expect(up.sent[0]!.request.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('reads an OpenAI-compatible list at {base}/models', async () => {
    const up = upstream([{ body: { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' }, { object: 'model' }] } }]);
    const answer = await listModels(up.deps, request('openai', 'http://up/v1'), ctx);
    expect(answer.models).toEqual([{ id: 'gpt-4o', displayName: 'gpt-4o', inputTokenLimit: 0, outputTokenLimit: 0, createdAt: 1715367049 }]);
    expect(up.sent[0]!.request).toMatchObject({ method: 'GET', url: 'http://up/v1/models' });
  });

  it('asks Cloud Code for the account’s project and leaves editor-internal entries out', async () => {
    const up = upstream([
      {
        body: {
          models: {
            'gemini-2.5-pro': { displayName: 'Gemini 2.5 Pro', maxTokens: 1048576, maxOutputTokens: 65535, quotaInfo: { remainingFraction: 1 } },
            'claude-sonnet-4-5': { displayName: 'Claude Sonnet 4.5' },
            chat_20706: {},
            tab_flash_lite_preview: {},
          },
        },
      },
    ]);
    const answer = await listModels(up.deps, request('antigravity', 'http://up', '{"project":"p-7"}'), ctx);
    expect(answer.models.map((m) => [m.id, m.inputTokenLimit, m.outputTokenLimit])).toEqual([
      ['gemini-2.5-pro', 1048576, 65535],
      ['claude-sonnet-4-5', 0, 0],
    ]);
    expect(up.sent[0]!.request).toMatchObject({ url: 'http://up/v1internal:fetchAvailableModels', body: '{"project":"p-7"}' });
    expect(up.sent[0]!.request.method).toBeUndefined();
  });

  it('turns an upstream refusal into UPSTREAM_ERROR with the upstream status and retry hint', async () => {
    const up = upstream([{ status: 429, headers: { 'retry-after': '3' }, body: { error: { message: 'slow down', type: 'rate_limit' } } }]);
    const error = await listModels(up.deps, request('openai'), ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', retryAfterMs: 3000, details: { upstream_status: '429' } });
    expect((error as Error).message).toMatch(/429.*slow down/);
  });

  it('says a refused credential in the gRPC code, so ingress can refresh it', async () => {
    const up = upstream([{ status: 401, body: { error: { code: 401, message: 'bad key', status: 'UNAUTHENTICATED' } } }]);
    await expect(listModels(up.deps, request('gemini'), ctx)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', details: { upstream_status: '401' } });
  });

  it('rejects an answer that is not a model list', async () => {
    const up = upstream([{ body: { unexpected: true } }]);
    await expect(listModels(up.deps, request('openai'), ctx)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('stops when a provider repeats its page token', async () => {
    const page = { body: { data: [{ id: 'claude-x' }], has_more: true, last_id: 'claude-x' } };
    const up = upstream([page, page, page]);
    const answer = await listModels(up.deps, request('anthropic'), ctx);
    expect([answer.models.length, up.sent.length]).toEqual([1, 2]);
  });
});
