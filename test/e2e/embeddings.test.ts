import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddingVector } from '@aigw/emulators';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { chat, openaiBody, post, type HttpResult } from './support/http.js';
import { findLeaks, knownSecrets } from './support/secrets.js';

// Issue 13, item 3: POST /v1/embeddings travels the gateway's normal path (key, rate limit, one validation, route,
// round robin with failover, provider-call, request log) to OpenAI-compatible providers (passed through) and to
// Gemini (batchEmbedContents, answered in OpenAI's shape); a provider kind without embeddings gets a 400 naming it.
// The emulator's vectors are deterministic, so every answer is compared with the vector the model gives the text.

let ctx: E2eContext;

const openai = () => new OpenAI({ apiKey: ctx.stack.demoKey, baseURL: `${ctx.stack.ingressUrl}/v1`, maxRetries: 0 });
const embed = (body: unknown): Promise<HttpResult> => post(ctx.stack, '/v1/embeddings', body, { bearer: ctx.stack.demoKey });
const recordsFor = (model: string) => ctx.stack.emulators.upstream.requests().filter((r) => r.model === model);
const logRow = (requestId: string) => eventually(() => ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId } }));

interface EmbeddingList {
  object: string;
  data: { object: string; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

beforeAll(async () => {
  ctx = await startE2eStack('embeddings');
});

afterAll(async () => {
  await ctx?.teardown();
});

describe('the official openai SDK, embeddings.create', () => {
  it('two inputs to an OpenAI model: base64 by default, decoded by the SDK into the upstream’s vectors', async () => {
    const model = 'text-embedding-3-small';
    const answer = await openai().embeddings.create({ model, input: ['the first text', 'the second'] });
    expect(answer.object).toBe('list');
    expect(answer.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([['embedding', 0, 1536], ['embedding', 1, 1536]]);
    expect(answer.data[0]?.embedding).toEqual(embeddingVector(model, 'the first text', 1536));
    expect(answer.data[1]?.embedding).toEqual(embeddingVector(model, 'the second', 1536));
    expect(answer.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
  });

  it('two inputs to Gemini with dimensions: the gateway encodes base64 itself, the SDK decodes the same floats', async () => {
    const model = 'gemini-embedding-001';
    const answer = await openai().embeddings.create({ model, input: ['alpha beta', 'gamma'], dimensions: 256 });
    expect(answer.data.map((d) => d.embedding.length)).toEqual([256, 256]);
    expect(answer.data[0]?.embedding).toEqual(embeddingVector(model, 'alpha beta', 256));
    expect(answer.data[1]?.embedding).toEqual(embeddingVector(model, 'gamma', 256));
    expect(answer.model).toBe(model);
    // Gemini reports no usage: the gateway counts the inputs itself.
    expect(answer.usage.prompt_tokens).toBeGreaterThan(0);
    const [upstream] = recordsFor(model);
    expect([upstream?.path, upstream?.format, upstream?.status]).toEqual([`/v1beta/models/${model}:batchEmbedContents`, 'gemini', 200]);
  });

  it('more inputs than Gemini takes in one call (100): several batchEmbedContents calls, one answer in input order', async () => {
    const model = 'gemini-embedding-001';
    const before = recordsFor(model).length;
    const input = Array.from({ length: 150 }, (_, i) => `passage ${i}`);
    const answer = await openai().embeddings.create({ model, input, dimensions: 16 });
    expect(answer.data.map((d) => d.index)).toEqual([...input.keys()]);
    expect(answer.data[0]?.embedding).toEqual(embeddingVector(model, 'passage 0', 16));
    expect(answer.data[149]?.embedding).toEqual(embeddingVector(model, 'passage 149', 16));
    expect(recordsFor(model).slice(before).map((r) => r.status)).toEqual([200, 200]);
  });

  it('dimensions on text-embedding-3-large', async () => {
    const answer = await openai().embeddings.create({ model: 'text-embedding-3-large', input: 'short vector', dimensions: 64 });
    expect(answer.data[0]?.embedding).toEqual(embeddingVector('text-embedding-3-large', 'short vector', 64));
  });
});

describe('raw requests', () => {
  it('floats when asked, in either provider kind; a field Gemini cannot carry is reported', async () => {
    const fromOpenAi = await embed({ model: 'text-embedding-3-small', input: 'plain floats', encoding_format: 'float' });
    expect(fromOpenAi.status, fromOpenAi.text).toBe(200);
    expect((fromOpenAi.json as EmbeddingList).data[0]?.embedding).toEqual(embeddingVector('text-embedding-3-small', 'plain floats', 1536));
    const fromGemini = await embed({ model: 'gemini-embedding-001', input: ['plain floats'], encoding_format: 'float', user: 'user-7' });
    expect(fromGemini.status, fromGemini.text).toBe(200);
    const list = fromGemini.json as EmbeddingList;
    expect(list.data).toEqual([{ object: 'embedding', index: 0, embedding: embeddingVector('gemini-embedding-001', 'plain floats', 3072) }]);
    expect(fromGemini.headers.get('x-aigw-dropped')).toBe('user');
  });

  it('token-id input reaches an OpenAI upstream and is refused for Gemini, which embeds text only', async () => {
    const tokens = await embed({ model: 'text-embedding-ada-002', input: [[1, 2, 3], [4, 5]] });
    expect(tokens.status, tokens.text).toBe(200);
    expect((tokens.json as EmbeddingList).usage.prompt_tokens).toBe(5);
    const gemini = await embed({ model: 'gemini-embedding-001', input: [1, 2, 3] });
    expect(gemini.status).toBe(400);
    expect(gemini.json).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('embeds text only') } });
  });
});

describe('the gateway’s request path', () => {
  it('round robin over the two OpenAI accounts, with no session affinity', async () => {
    const model = 'text-embedding-3-small';
    const before = recordsFor(model).length;
    for (let i = 0; i < 4; i++) expect((await embed({ model, input: 'same text every time' })).status).toBe(200);
    const used = recordsFor(model).slice(before).map((r) => r.credential);
    expect(used).toHaveLength(4);
    expect(new Set(used).size).toBe(2);
    expect(used[0]).not.toBe(used[1]);
    expect([used[0], used[1]]).toEqual([used[2], used[3]]);
  });

  it('fails over to the other account after an upstream 5xx, and logs usage and both attempts', async () => {
    const model = 'text-embedding-3-large';
    ctx.stack.emulators.upstream.script({ match: { model, path: '/v1/embeddings' }, status: 503, times: 1 });
    const before = recordsFor(model).length;
    const response = await embed({ model, input: ['one two three', 'four'] });
    expect(response.status, response.text).toBe(200);
    expect((response.json as EmbeddingList).usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    const [failed, served] = recordsFor(model).slice(before);
    expect([failed?.status, served?.status]).toEqual([503, 200]);
    expect(served?.credential).not.toBe(failed?.credential);
    const row = await logRow(response.requestId);
    expect({ status: row.statusCode, attempts: row.attempts, input: row.inputTokens, output: row.outputTokens, format: row.clientFormat, stream: row.isStream }).toEqual({
      status: 200,
      attempts: 2,
      input: 4,
      output: 0,
      format: 'embeddings',
      stream: false,
    });
  });

  it('logs the local count of a Gemini call', async () => {
    const response = await embed({ model: 'gemini-embedding-001', input: ['counted here'] });
    expect(response.status).toBe(200);
    const row = await logRow(response.requestId);
    expect([row.inputTokens, row.upstreamModel, row.clientFormat]).toEqual([(response.json as EmbeddingList).usage.prompt_tokens, 'gemini-embedding-001', 'embeddings']);
    expect(row.inputTokens).toBeGreaterThan(0);
  });
});

describe('errors in OpenAI’s shape', () => {
  it('400 naming the provider for a model routed to a kind without embeddings; no upstream call, no cooldown', async () => {
    const model = 'gemini-2.5-pro';
    const before = recordsFor(model).length;
    const response = await embed({ model, input: 'x' });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: {
        message: 'model "gemini-2.5-pro" is routed to provider "antigravity" of kind "antigravity", which has no embeddings API',
        type: 'invalid_request_error',
        // Decided in provider-call: gRPC carries the error's code and message, not the field.
        param: null,
        code: 'invalid_request',
      },
    });
    expect(recordsFor(model).length).toBe(before);
    const row = await logRow(response.requestId);
    expect([row.statusCode, row.attempts]).toEqual([400, 1]);
    // The account is not cooled down: chat on the same model still answers, on every account of the rotation.
    for (let i = 0; i < 3; i++) expect((await chat(ctx.stack, openaiBody(model, `still fine ${i}`))).status).toBe(200);
  });

  it('bad input is 400 before any upstream call, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ model: 'text-embedding-3-small', input: '' }, 'input'],
      [{ model: 'text-embedding-3-small', input: ['ok', ''] }, 'input[1]'],
      [{ model: 'text-embedding-3-small' }, 'input'],
      [{ input: 'x' }, 'model'],
      [{ model: 'text-embedding-3-small', input: 'x', dimensions: 0 }, 'dimensions'],
      [{ model: 'text-embedding-3-small', input: 'x', encoding_format: 'int8' }, 'encoding_format'],
      [{ model: 'text-embedding-3-small', input: Array.from({ length: 2049 }, () => 'x') }, 'input'],
    ];
    const before = ctx.stack.emulators.upstream.requests().length;
    for (const [body, param] of cases) {
      const response = await embed(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.json).toMatchObject({ error: { type: 'invalid_request_error', param, code: 'invalid_request' } });
    }
    const notJson = await embed('{"model":');
    expect([notJson.status, (notJson.json as { error: { type: string } }).error.type]).toEqual([400, 'invalid_request_error']);
    expect(ctx.stack.emulators.upstream.requests().length).toBe(before);
  });

  it('the upstream’s own refusals come back as it gave them', async () => {
    const ada = await embed({ model: 'text-embedding-ada-002', input: 'x', dimensions: 8 });
    expect([ada.status, (ada.json as { error: { message: string } }).error.message]).toEqual([400, 'This model does not support specifying dimensions.']);
    const unknown = await embed({ model: 'text-embedding-9-huge', input: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: 'model_not_found', type: 'invalid_request_error' } });
    const sdk = await openai()
      .embeddings.create({ model: 'text-embedding-9-huge', input: 'x' })
      .catch((error: unknown) => error);
    expect(sdk).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('an unknown client key is 401 in OpenAI’s shape', async () => {
    const response = await post(ctx.stack, '/v1/embeddings', { model: 'text-embedding-3-small', input: 'x' }, { bearer: 'aigw-not-a-key' });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
  });
});

describe('secrets', () => {
  it('no credential appears in any log line of any service', async () => {
    expect(findLeaks(ctx.stack.logs(), await knownSecrets(ctx))).toEqual([]);
  });
});
