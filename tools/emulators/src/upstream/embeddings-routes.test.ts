import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embeddingVector, float32Base64 } from './embedding-vectors.js';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';

let emu: UpstreamEmulator;
beforeAll(async () => {
  emu = await startUpstreamEmulator({ recordLimit: 100 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.clearRequests();
  emu.clearScripts();
});

type Json = Record<string, any>;

async function post(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; json: Json; headers: Headers }> {
  const res = await fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json, headers: res.headers };
}

const OPENAI = { authorization: 'Bearer sk-emu' };
const GEMINI = { 'x-goog-api-key': 'AIza-key' };
const length = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const decode = (text: string) => {
  const bytes = Buffer.from(text, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
};

describe('deterministic vectors', () => {
  it('the same model, text and length give the same unit vector; anything else another', () => {
    const a = embeddingVector('m', 'hello', 64);
    expect(a).toEqual(embeddingVector('m', 'hello', 64));
    expect(a).toHaveLength(64);
    expect(length(a)).toBeCloseTo(1, 5);
    expect(a).not.toEqual(embeddingVector('m', 'hello!', 64));
    expect(a).not.toEqual(embeddingVector('m2', 'hello', 64));
    expect(decode(float32Base64(a))).toEqual(a);
  });
});

describe('OpenAI POST /v1/embeddings', () => {
  it('answers a list in input order with usage, floats or base64, and records the call', async () => {
    const { status, json } = await post('/v1/embeddings', OPENAI, { model: 'text-embedding-3-small', input: ['one two', 'three'] });
    expect(status).toBe(200);
    expect(json).toMatchObject({ object: 'list', model: 'text-embedding-3-small', usage: { prompt_tokens: 3, total_tokens: 3 } });
    expect(json.data.map((d: Json) => [d.object, d.index, d.embedding.length])).toEqual([['embedding', 0, 1536], ['embedding', 1, 1536]]);
    expect(json.data[0].embedding).toEqual(embeddingVector('text-embedding-3-small', 'one two', 1536));
    const b64 = await post('/v1/embeddings', OPENAI, { model: 'text-embedding-3-small', input: 'one two', encoding_format: 'base64' });
    expect(decode(b64.json.data[0].embedding)).toEqual(json.data[0].embedding);
    expect(emu.requests().map((r) => [r.path, r.format, r.model, r.credential, r.status])).toEqual([
      ['/v1/embeddings', 'openai', 'text-embedding-3-small', 'sk-emu', 200],
      ['/v1/embeddings', 'openai', 'text-embedding-3-small', 'sk-emu', 200],
    ]);
  });

  it('shortens vectors with dimensions on text-embedding-3-*, refuses it on ada-002', async () => {
    const short = await post('/v1/embeddings', OPENAI, { model: 'text-embedding-3-large', input: 'x', dimensions: 256 });
    expect(short.json.data[0].embedding).toHaveLength(256);
    expect(length(short.json.data[0].embedding)).toBeCloseTo(1, 5);
    const ada = await post('/v1/embeddings', OPENAI, { model: 'text-embedding-ada-002', input: 'x', dimensions: 256 });
    expect([ada.status, ada.json.error.message]).toEqual([400, 'This model does not support specifying dimensions.']);
    expect((await post('/v1/embeddings', OPENAI, { model: 'text-embedding-ada-002', input: [[1, 2], [3]] })).json.usage.prompt_tokens).toBe(3);
    expect((await post('/v1/embeddings', OPENAI, { model: 'text-embedding-3-small', input: 'x', dimensions: 1537 })).status).toBe(400);
  });

  it('refuses what OpenAI refuses', async () => {
    const unknown = await post('/v1/embeddings', OPENAI, { model: 'text-embedding-9', input: 'x' });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'model_not_found']);
    expect((await post('/v1/embeddings', OPENAI, { model: 'gpt-4o', input: 'x' })).status).toBe(400);
    for (const input of ['', [], ['a', ''], [1.5], ['a', 1], Array.from({ length: 2049 }, () => 'a')]) {
      const bad = await post('/v1/embeddings', OPENAI, { model: 'text-embedding-3-small', input });
      expect([bad.status, bad.json.error.type]).toEqual([400, 'invalid_request_error']);
    }
    expect((await post('/v1/embeddings', OPENAI, { model: 'text-embedding-3-small', input: 'a', encoding_format: 'int8' })).status).toBe(400);
    expect((await post('/v1/embeddings', {}, { model: 'text-embedding-3-small', input: 'a' })).status).toBe(401);
  });

  it('is steered by scripts like the chat endpoints', async () => {
    emu.script({ match: { path: '/v1/embeddings' }, status: 503, times: 1 });
    expect((await post('/v1/embeddings', OPENAI, { model: 'text-embedding-3-small', input: 'a' })).status).toBe(503);
    expect((await post('/v1/embeddings', OPENAI, { model: 'text-embedding-3-small', input: 'a' })).status).toBe(200);
  });
});

describe('Gemini embedContent and batchEmbedContents', () => {
  const model = 'gemini-embedding-001';

  it('embeds one content, 3072 long by default, the same vector as in a batch', async () => {
    const one = await post(`/v1beta/models/${model}:embedContent`, GEMINI, { content: { parts: [{ text: 'hello' }] } });
    expect(one.status).toBe(200);
    expect(one.json.embedding.values).toHaveLength(3072);
    const batch = await post(`/v1beta/models/${model}:batchEmbedContents`, GEMINI, {
      requests: [
        { model: `models/${model}`, content: { parts: [{ text: 'hello' }] } },
        { model: `models/${model}`, content: { parts: [{ text: 'world' }] }, outputDimensionality: 768 },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.json.embeddings[0].values).toEqual(one.json.embedding.values);
    expect(batch.json.embeddings[1].values).toHaveLength(768);
    expect(batch.json.usageMetadata).toBeUndefined();
    expect(emu.requests().map((r) => [r.format, r.model, r.credential, r.status])).toEqual([
      ['gemini', model, 'AIza-key', 200],
      ['gemini', model, 'AIza-key', 200],
    ]);
  });

  it('answers 404 for a model without embedContent and 400 for a bad batch, in Google’s shape', async () => {
    const chatModel = await post('/v1beta/models/gemini-2.5-pro:embedContent', GEMINI, { content: { parts: [{ text: 'x' }] } });
    expect([chatModel.status, chatModel.json.error.status]).toEqual([404, 'NOT_FOUND']);
    const mismatch = await post(`/v1beta/models/${model}:batchEmbedContents`, GEMINI, { requests: [{ model: 'models/other', content: { parts: [{ text: 'x' }] } }] });
    expect([mismatch.status, mismatch.json.error.status]).toEqual([400, 'INVALID_ARGUMENT']);
    const tooMany = Array.from({ length: 101 }, () => ({ model: `models/${model}`, content: { parts: [{ text: 'x' }] } }));
    expect((await post(`/v1beta/models/${model}:batchEmbedContents`, GEMINI, { requests: tooMany })).json.error.message).toContain('at most 100');
    expect((await post(`/v1beta/models/${model}:embedContent`, GEMINI, { content: { parts: [{ text: '' }] } })).status).toBe(400);
    expect((await post(`/v1beta/models/${model}:embedContent`, GEMINI, { content: { parts: [{ text: 'x' }] }, outputDimensionality: 4000 })).status).toBe(400);
    expect((await post(`/v1beta/models/${model}:embedContent`, {}, { content: { parts: [{ text: 'x' }] } })).status).toBe(401);
  });
});
