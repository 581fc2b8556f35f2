import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { eventually } from '../e2e/support/eventually.js';
import { admin, ok } from '../e2e/support/http.js';
import { PROVIDERS, startConformanceStack, UPSTREAM_FORMAT, type ConformanceStack, type ProviderName } from './support/conformance-stack.js';
import { capturingFetch } from './support/response-headers.js';
import { ResultsRecorder, type CaseOutcome } from './support/results-recorder.js';

// The `openai` SDK's `embeddings.create` against the gateway's `POST /v1/embeddings`, for every provider
// behind it. OpenAI-kind providers (Chat Completions or Responses wire alike) and Gemini embed (Gemini by
// batchEmbedContents, answered in OpenAI's shape); Anthropic and Antigravity have no embeddings API, so the
// gateway answers a 400 that names the provider's kind, and nothing reaches the upstream. Vectors are
// checked for what holds for OpenAI's: the model's length (or `dimensions`), unit length, the same vector
// for the same text, base64 (the SDK's default, decoded by it) equal to floats.

const TEXTS = ['The fjord was calm this morning', 'Glaciers retreat'] as const;

/** An embedding model of each provider, routed to it, and the length of its vectors. */
const EMBEDDING_MODEL: Record<ProviderName, { model: string; length?: number }> = {
  openai: { model: 'text-embedding-3-small', length: 1536 },
  'openai-responses': { model: 'text-embedding-3-large', length: 3072 },
  gemini: { model: 'gemini-embedding-001', length: 3072 },
  anthropic: { model: 'conf-anthropic-embed' },
  antigravity: { model: 'conf-antigravity-embed' },
};
const KIND: Record<ProviderName, string> = { openai: 'openai', 'openai-responses': 'openai', anthropic: 'anthropic', gemini: 'gemini', antigravity: 'antigravity' };

const recorder = new ResultsRecorder(import.meta.url, 'embeddings', 'openai');
let stack: ConformanceStack;

beforeAll(async () => {
  stack = await startConformanceStack('embeddings');
  // The real embedding models' names, each routed to its conformance provider (an exact pattern beats
  // the demo's `text-embedding-*` / `gemini-embedding-*`); ready once the upstream sees the provider's key.
  for (const provider of ['openai', 'openai-responses', 'gemini'] as const) {
    const { model } = EMBEDDING_MODEL[provider];
    ok(await admin(stack.ctx.stack, 'POST', '/routes', { provider: `conf-${provider}`, pattern: model }), `route ${model}`);
    await eventually(async () => {
      await sdk().embeddings.create({ model, input: 'warm up' });
      const last = stack.upstreamRequests(model).at(-1);
      if (!last?.credential.startsWith('conf-')) throw new Error(`${model} does not reach conf-${provider} yet`);
    });
  }
}, 120_000);

afterAll(async () => {
  await stack?.teardown();
});

const sdk = (fetch?: typeof globalThis.fetch) =>
  new OpenAI({ apiKey: stack.clientKey, baseURL: `${stack.ingressUrl}/v1`, maxRetries: 0, ...(fetch === undefined ? {} : { fetch }) });

const norm = (vector: readonly number[]) => Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));

function expectVector(vector: readonly number[], length: number | undefined): void {
  if (length !== undefined) expect(vector).toHaveLength(length);
  expect(vector.every(Number.isFinite)).toBe(true);
  expect(norm(vector)).toBeCloseTo(1, 4);
}

/** A provider without embeddings: OpenAI's 400 in OpenAI's shape, naming the kind, and no upstream call. */
async function expectRefused(provider: ProviderName, request: () => Promise<unknown>): Promise<CaseOutcome> {
  const error = await request().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(APIError);
  const apiError = error as APIError;
  expect(apiError.status).toBe(400);
  expect(apiError.type).toBe('invalid_request_error');
  expect(apiError.message).toContain(KIND[provider]);
  expect(stack.upstreamRequests(EMBEDDING_MODEL[provider].model)).toEqual([]);
  return 'unsupported';
}

const embeds = (provider: ProviderName) => provider !== 'anthropic' && provider !== 'antigravity';

/** The upstream got `calls` embedding requests for the model, in the provider's format, all answered. */
function expectUpstream(provider: ProviderName, calls: number, since: number): void {
  const seen = stack.upstreamRequests(EMBEDDING_MODEL[provider].model).slice(since);
  // Embeddings have an endpoint of their own: an OpenAI provider on the Responses wire serves them as OpenAI does.
  const format = KIND[provider] === 'openai' ? 'openai' : UPSTREAM_FORMAT[provider];
  expect(seen.map((r) => [r.format, r.status])).toEqual(Array.from({ length: calls }, () => [format, 200]));
}

const FEATURES: Record<string, (provider: ProviderName) => Promise<CaseOutcome>> = {
  'two inputs (base64, the SDK default)': async (provider) => {
    const { model, length } = EMBEDDING_MODEL[provider];
    const capture = capturingFetch();
    const request = () => sdk(capture.fetch).embeddings.create({ model, input: [...TEXTS] });
    if (!embeds(provider)) return expectRefused(provider, request);
    const since = stack.upstreamRequests(model).length;
    const answer = await request();
    expect(answer.object).toBe('list');
    expect(answer.model).toBe(model);
    expect(answer.data.map((d) => [d.object, d.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ]);
    for (const item of answer.data) expectVector(item.embedding, length);
    expect(answer.data[0]?.embedding).not.toEqual(answer.data[1]?.embedding);
    expect(answer.usage.prompt_tokens).toBeGreaterThan(0);
    expect(answer.usage.total_tokens).toBe(answer.usage.prompt_tokens);
    expect(capture.dropped()).toEqual([]);
    expectUpstream(provider, 1, since);
    return 'pass';
  },
  'float = base64, same text same vector': async (provider) => {
    const { model, length } = EMBEDDING_MODEL[provider];
    const floats = () => sdk().embeddings.create({ model, input: [TEXTS[0]], encoding_format: 'float' });
    if (!embeds(provider)) return expectRefused(provider, floats);
    const since = stack.upstreamRequests(model).length;
    const asFloats = (await floats()).data[0]?.embedding ?? [];
    const asBase64 = (await sdk().embeddings.create({ model, input: TEXTS[0] })).data[0]?.embedding ?? [];
    expectVector(asFloats, length);
    // The same vector whichever way it travelled (float32 values, so base64 loses nothing).
    expect(asBase64).toHaveLength(asFloats.length);
    asBase64.forEach((x, i) => expect(x).toBeCloseTo(asFloats[i] ?? NaN, 6));
    expectUpstream(provider, 2, since);
    return 'pass';
  },
  dimensions: async (provider) => {
    const { model } = EMBEDDING_MODEL[provider];
    const request = () => sdk().embeddings.create({ model, input: TEXTS[1], dimensions: 64 });
    if (!embeds(provider)) return expectRefused(provider, request);
    const since = stack.upstreamRequests(model).length;
    const answer = await request();
    expectVector(answer.data[0]?.embedding ?? [], 64);
    expectUpstream(provider, 1, since);
    return 'pass';
  },
};

for (const provider of PROVIDERS) {
  describe(`openai SDK embeddings → ${provider} provider`, () => {
    for (const [feature, run] of Object.entries(FEATURES)) recorder.case(`${feature} (json)`, { provider, feature, mode: 'json' }, () => run(provider));
  });
}
describe('README', () => {
  recorder.checkReadmeLast();
});
