import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { ClientFormat, InvokeRequest } from '@aigw/proto';
import { planExchange } from '../invoke/plan-exchange.js';
import { float32Base64 } from './embedding-list.js';

function embeddingsRequest(providerKind: string, body: unknown, baseUrl = 'http://upstream/v1', providerWire = ''): InvokeRequest {
  return InvokeRequest.fromPartial({
    requestId: 'req-1',
    clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI_EMBEDDINGS,
    body: Buffer.from(JSON.stringify(body)),
    upstreamModel: 'up-embed',
    account: { id: 7, providerName: 'demo', providerKind, baseUrl, settingsJson: '{"project":"p-1"}', providerWire },
    credential: { headerName: providerKind === 'gemini' ? 'x-goog-api-key' : 'authorization', headerValue: 'k-1' },
  });
}

const thrown = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
  }
  throw new Error('expected an AppError');
};

const decodeBase64 = (text: string): number[] => {
  const bytes = Buffer.from(text, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
};

describe('embeddings to an OpenAI-compatible upstream', () => {
  it('forwards the body to {base}/embeddings with the routed model and returns the answer as it came', () => {
    const body = { model: 'alias', input: ['a', 'b'], dimensions: 8, encoding_format: 'base64', user: 'u' };
    const exchange = planExchange(embeddingsRequest('openai', body), false);
    expect(exchange.request.url).toBe('http://upstream/v1/embeddings');
    expect(exchange.request.headers.authorization).toBe('k-1');
    expect(JSON.parse(String(exchange.request.body))).toEqual({ ...body, model: 'up-embed' });
    expect(exchange.droppedFields).toEqual([]);
    const answer = JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: 'AAAA' }], model: 'up-embed', usage: { prompt_tokens: 3, total_tokens: 3 } });
    expect(exchange.readResponse(answer, 99)).toEqual({ body: answer, usage: { inputTokens: 3, outputTokens: 0, cachedInputTokens: 0 } });
  });

  it('goes to {base}/embeddings for a provider whose chat speaks the Responses API too (the wire names only chat)', () => {
    const exchange = planExchange(embeddingsRequest('openai', { model: 'm', input: 'x' }, 'http://upstream/v1', 'responses'), false);
    expect(exchange.request.url).toBe('http://upstream/v1/embeddings');
  });

  it('counts locally when a compatible server reports no usage, and refuses an answer that is no list', async () => {
    const exchange = planExchange(embeddingsRequest('openai', { model: 'm', input: [[1, 2, 3], [4]] }), false);
    expect(await exchange.promptEstimate?.()).toBe(4);
    expect(exchange.readResponse(JSON.stringify({ object: 'list', data: [] }), 4).usage.inputTokens).toBe(4);
    expect(() => exchange.readResponse('{"choices":[]}', 4)).toThrowError(/not an embeddings list/);
    const text = planExchange(embeddingsRequest('openai', { model: 'm', input: 'hello world' }), false);
    expect(await text.promptEstimate?.()).toBe(2);
  });

  it('passes OpenAI errors through and wraps anything else in their shape', () => {
    const exchange = planExchange(embeddingsRequest('openai', { model: 'm', input: 'x' }), false);
    const openAiError = JSON.stringify({ error: { message: 'no such model', type: 'invalid_request_error', param: null, code: 'model_not_found' } });
    expect(exchange.readError(404, openAiError)).toEqual({ body: openAiError });
    expect(JSON.parse(exchange.readError(502, '<html>bad gateway</html>').body)).toMatchObject({ error: { type: 'server_error' } });
    expect(() => exchange.openStream()).toThrowError(/not streamed/);
  });
});

describe('embeddings to the Gemini API', () => {
  it('translates to batchEmbedContents, one request per input, with outputDimensionality', () => {
    const body = { model: 'alias', input: ['a', 'b'], dimensions: 4, user: 'u-1', encoding_format: 'float' };
    const exchange = planExchange(embeddingsRequest('gemini', body, 'http://upstream'), false);
    expect(exchange.request.url).toBe('http://upstream/v1beta/models/up-embed:batchEmbedContents');
    expect(exchange.request.headers['x-goog-api-key']).toBe('k-1');
    expect(JSON.parse(String(exchange.request.body))).toEqual({
      requests: [
        { model: 'models/up-embed', content: { parts: [{ text: 'a' }] }, outputDimensionality: 4 },
        { model: 'models/up-embed', content: { parts: [{ text: 'b' }] }, outputDimensionality: 4 },
      ],
    });
    expect(exchange.droppedFields).toEqual(['user']);
    const answer = JSON.stringify({ embeddings: [{ values: [0.5, -0.5, 0.5, -0.5] }, { values: [1, 0, 0, 0] }] });
    const { body: out, usage } = exchange.readResponse(answer, 2);
    expect(JSON.parse(out)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -0.5, 0.5, -0.5] },
        { object: 'embedding', index: 1, embedding: [1, 0, 0, 0] },
      ],
      model: 'up-embed',
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
    expect(usage).toEqual({ inputTokens: 2, outputTokens: 0, cachedInputTokens: 0 });
  });

  it('encodes base64 itself (float32, little-endian) when the client asked for it', () => {
    const exchange = planExchange(embeddingsRequest('gemini', { model: 'm', input: 'one', encoding_format: 'base64' }), false);
    expect(JSON.parse(String(exchange.request.body)).requests[0]).toEqual({ model: 'models/up-embed', content: { parts: [{ text: 'one' }] } });
    const { body } = exchange.readResponse(JSON.stringify({ embeddings: [{ values: [0.25, -1, 3.5] }] }), 1);
    const embedding = (JSON.parse(body) as { data: { embedding: string }[] }).data[0]?.embedding ?? '';
    expect(embedding).toBe(float32Base64([0.25, -1, 3.5]));
    expect(decodeBase64(embedding)).toEqual([0.25, -1, 3.5]);
    expect(Buffer.from(float32Base64([1]), 'base64')).toEqual(Buffer.from([0x00, 0x00, 0x80, 0x3f]));
  });

  it('refuses token ids (Gemini reads text), and answers that do not match the inputs', () => {
    const error = thrown(() => planExchange(embeddingsRequest('gemini', { model: 'm', input: [1, 2] }), false));
    expect([error.code, error.details.param]).toEqual(['INVALID_REQUEST', 'input']);
    const exchange = planExchange(embeddingsRequest('gemini', { model: 'm', input: ['a', 'b'] }), false);
    expect(() => exchange.readResponse(JSON.stringify({ embeddings: [{ values: [1] }] }), 1)).toThrowError(/1 embeddings for 2 inputs/);
    expect(() => exchange.readResponse(JSON.stringify({ embeddings: [{ values: ['x'] }, { values: [1] }] }), 1)).toThrowError(/numeric/);
  });

  it("answers Google errors in OpenAI's shape with the retry hint", () => {
    const exchange = planExchange(embeddingsRequest('gemini', { model: 'm', input: 'x' }), false);
    const googleError = JSON.stringify({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }] } });
    const error = exchange.readError(429, googleError);
    expect(JSON.parse(error.body)).toEqual({ error: { message: 'quota', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } });
    expect(error.retryAfterMs).toBe(2000);
  });
});

describe('provider kinds without embeddings', () => {
  it('answer 400 naming the provider and its kind', () => {
    for (const kind of ['anthropic', 'antigravity']) {
      const error = thrown(() => planExchange(embeddingsRequest(kind, { model: 'm', input: 'x' }), false));
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).toBe(`model "up-embed" is routed to provider "demo" of kind "${kind}", which has no embeddings API`);
    }
  });
});
