import { describe, expect, it } from 'vitest';
import { createLogger } from '@aigw/logger';
import { ClientFormat, InvokeRequest } from '@aigw/proto';
import type { UpstreamRequest } from '../adapters/provider-adapter.js';
import { invokeUnary } from '../invoke/invoke-unary.js';
import type { UpstreamExchange } from '../upstream/upstream-client.js';

// An embeddings call through invokeUnary: Gemini takes at most 100 inputs per batchEmbedContents, so 2048
// OpenAI inputs become several upstream requests, sent in order and joined back into one answer.

const logger = createLogger({ service: 'test', level: 'silent' });
const ctx = { deadline: Date.now() + 5_000, signal: new AbortController().signal, metadata: {} } as never;

function request(inputs: string[]): InvokeRequest {
  return InvokeRequest.fromPartial({
    requestId: 'r1',
    clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI_EMBEDDINGS,
    body: Buffer.from(JSON.stringify({ model: 'gemini-embedding-001', input: inputs, encoding_format: 'float' })),
    upstreamModel: 'gemini-embedding-001',
    account: { id: 3, providerName: 'gemini', providerKind: 'gemini', baseUrl: 'http://up', proxyId: 9 },
    credential: { headerName: 'x-goog-api-key', headerValue: 'k-1' },
  });
}

/** An upstream that embeds each text as [its batch number, its position in the batch], or fails the given batch. */
function upstream(failBatch?: number) {
  const sent: UpstreamRequest[] = [];
  return {
    sent,
    deps: {
      logger,
      upstream: {
        send: () => Promise.reject(new Error('not used')),
        async exchange(req: UpstreamRequest): Promise<UpstreamExchange> {
          sent.push(req);
          const batch = sent.length - 1;
          if (batch === failBatch) return { kind: 'answer', status: 429, headers: {}, text: '{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}', headersMs: 1 };
          const { requests } = JSON.parse(req.body) as { requests: unknown[] };
          return { kind: 'answer', status: 200, headers: {}, text: JSON.stringify({ embeddings: requests.map((_, i) => ({ values: [batch, i] })) }), headersMs: 1 };
        },
      },
    },
  };
}

const texts = (n: number) => Array.from({ length: n }, (_, i) => `text number ${i}`);

describe('embeddings through invokeUnary', () => {
  it('splits 250 inputs into batches of 100 for Gemini and answers them in input order, with the local count', async () => {
    const up = upstream();
    const answer = await invokeUnary(up.deps, request(texts(250)), ctx);
    expect(up.sent.map((r) => (JSON.parse(r.body) as { requests: unknown[] }).requests.length)).toEqual([100, 100, 50]);
    expect(answer.status).toBe(200);
    const list = JSON.parse(answer.body.toString()) as { data: { index: number; embedding: number[] }[]; usage: { prompt_tokens: number } };
    expect(list.data).toHaveLength(250);
    expect(list.data.map((d) => d.index)).toEqual([...Array(250).keys()]);
    expect([list.data[0]?.embedding, list.data[99]?.embedding, list.data[100]?.embedding, list.data[249]?.embedding]).toEqual([[0, 0], [0, 99], [1, 0], [2, 49]]);
    // Gemini reports no usage: the local o200k count, 4 tokens for each "text number N".
    expect(list.usage.prompt_tokens).toBe(1000);
    expect(answer.usage?.inputTokens).toBe(1000);
  });

  it('stops at the first batch the upstream refuses and answers its error in OpenAI’s shape', async () => {
    const up = upstream(1);
    const answer = await invokeUnary(up.deps, request(texts(250)), ctx);
    expect(up.sent).toHaveLength(2);
    expect(answer.status).toBe(429);
    expect(JSON.parse(answer.body.toString())).toEqual({ error: { message: 'quota', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } });
  });

  it('sends one request for up to 100 inputs', async () => {
    const up = upstream();
    expect((await invokeUnary(up.deps, request(texts(100)), ctx)).status).toBe(200);
    expect(up.sent).toHaveLength(1);
  });
});
