import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { createLogger } from '@aigw/logger';
import { ClientFormat, CountTokensRequest } from '@aigw/proto';
import type { UpstreamRequest } from '../adapters/provider-adapter.js';
import type { UpstreamExchange } from '../upstream/upstream-client.js';
import { countAnswer, countTokens, readUpstreamCount } from './count-tokens.js';
import { estimateInputTokens, inputTexts } from './token-estimate.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const ctx = () => ({ deadline: Date.now() + 5_000, signal: new AbortController().signal });

function fakeDeps(answer: (request: UpstreamRequest) => UpstreamExchange) {
  const sent: UpstreamRequest[] = [];
  const deps = {
    logger,
    upstream: {
      send: () => Promise.reject(new Error('not used')),
      exchange: async (request: UpstreamRequest) => {
        sent.push(request);
        return answer(request);
      },
    },
  };
  return { deps, sent };
}

const ok = (body: unknown): UpstreamExchange => ({ kind: 'answer', status: 200, headers: {}, text: JSON.stringify(body), headersMs: 1 });

function countRequest(format: ClientFormat, providerKind: string, body: unknown, clientHeaders: Array<{ name: string; value: string }> = []) {
  return CountTokensRequest.fromPartial({
    requestId: 'r-1',
    clientFormat: format,
    body: Buffer.from(JSON.stringify(body)),
    upstreamModel: 'up-model',
    account: { id: 4, providerKind, baseUrl: 'http://upstream', settingsJson: '{"project":"p"}' },
    credential: { headerName: 'x-api-key', headerValue: 'sk-1' },
    clientHeaders,
  });
}

const anthropicBody = { model: 'claude', messages: [{ role: 'user', content: 'Hello there, how are you?' }] };
const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'Hello there, how are you?' }] }] };

describe('countTokens', () => {
  it('answers an Anthropic client with the Anthropic upstream’s count, forwarding anthropic-beta', async () => {
    const { deps, sent } = fakeDeps(() => ok({ input_tokens: 12 }));
    const beta = { name: 'anthropic-beta', value: 'token-counting-2024-11-01' };
    const response = await countTokens(deps, countRequest(ClientFormat.CLIENT_FORMAT_ANTHROPIC, 'anthropic', anthropicBody, [beta]), ctx());
    expect(response).toMatchObject({ status: 200, inputTokens: 12, estimated: false, droppedFields: [] });
    expect(JSON.parse(response.body.toString())).toEqual({ input_tokens: 12 });
    expect(sent[0]?.url).toBe('http://upstream/v1/messages/count_tokens');
    expect(sent[0]?.headers['anthropic-beta']).toBe('token-counting-2024-11-01');
  });

  it('answers a Gemini client in Gemini’s shape, with all a Gemini upstream said', async () => {
    const upstream = { totalTokens: 7, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 7 }] };
    const { deps } = fakeDeps(() => ok(upstream));
    const response = await countTokens(deps, countRequest(ClientFormat.CLIENT_FORMAT_GEMINI, 'gemini', geminiBody), ctx());
    expect(JSON.parse(response.body.toString())).toEqual(upstream);
    const fromCloudCode = await countTokens(fakeDeps(() => ok({ totalTokens: 7 })).deps, countRequest(ClientFormat.CLIENT_FORMAT_GEMINI, 'antigravity', geminiBody), ctx());
    expect(JSON.parse(fromCloudCode.body.toString())).toEqual({ totalTokens: 7 });
    const fromAnthropic = await countTokens(fakeDeps(() => ok({ input_tokens: 9 })).deps, countRequest(ClientFormat.CLIENT_FORMAT_GEMINI, 'anthropic', geminiBody), ctx());
    expect(JSON.parse(fromAnthropic.body.toString())).toEqual({ totalTokens: 9 });
  });

  it('estimates locally for an OpenAI-compatible upstream, calling nothing, and names the headers it could not send', async () => {
    const { deps, sent } = fakeDeps(() => ok({}));
    const headers = [
      { name: 'anthropic-beta', value: 'x' },
      { name: 'anthropic-version', value: '2023-06-01' },
    ];
    const response = await countTokens(deps, countRequest(ClientFormat.CLIENT_FORMAT_ANTHROPIC, 'openai', anthropicBody, headers), ctx());
    expect(sent).toHaveLength(0);
    expect(response).toMatchObject({ status: 200, estimated: true, droppedFields: ['header:anthropic-beta'] });
    expect(response.inputTokens).toBe(await estimateInputTokens({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hello there, how are you?' }] }], tools: [], stop: [], stream: false, dropped: [] }));
    expect(JSON.parse(response.body.toString())).toEqual({ input_tokens: response.inputTokens });
  });

  it('falls back to the estimate when the count endpoint is rate-limited, failing, missing, unreadable or unreachable', async () => {
    const failures: UpstreamExchange[] = [
      { kind: 'answer', status: 429, headers: {}, text: '{}', headersMs: 1 },
      { kind: 'answer', status: 503, headers: {}, text: '', headersMs: 1 },
      { kind: 'answer', status: 404, headers: {}, text: 'not found', headersMs: 1 },
      ok({ tokens: 'many' }),
      { kind: 'failed', error: new AppError('UPSTREAM_UNREACHABLE', 'connect refused') },
    ];
    for (const failure of failures) {
      const response = await countTokens(fakeDeps(() => failure).deps, countRequest(ClientFormat.CLIENT_FORMAT_GEMINI, 'antigravity', geminiBody), ctx());
      expect(response).toMatchObject({ status: 200, estimated: true });
      expect(JSON.parse(response.body.toString()).totalTokens).toBeGreaterThan(0);
    }
  });

  it('hands back a refusal of the request or the credential in the client’s error shape', async () => {
    const refusal: UpstreamExchange = { kind: 'answer', status: 400, headers: {}, text: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'bad tool' } }), headersMs: 1 };
    const response = await countTokens(fakeDeps(() => refusal).deps, countRequest(ClientFormat.CLIENT_FORMAT_GEMINI, 'anthropic', geminiBody), ctx());
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body.toString())).toEqual({ error: { code: 400, message: 'bad tool', status: 'INVALID_ARGUMENT' } });
    const expired: UpstreamExchange = { kind: 'answer', status: 401, headers: {}, text: '{}', headersMs: 1 };
    expect((await countTokens(fakeDeps(() => expired).deps, countRequest(ClientFormat.CLIENT_FORMAT_ANTHROPIC, 'anthropic', anthropicBody), ctx())).status).toBe(401);
  });

  it('refuses an invalid body and an OpenAI client as INVALID_REQUEST', async () => {
    const { deps } = fakeDeps(() => ok({}));
    await expect(countTokens(deps, countRequest(ClientFormat.CLIENT_FORMAT_ANTHROPIC, 'anthropic', { model: 'm', messages: 'hi' }), ctx())).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(countTokens(deps, countRequest(ClientFormat.CLIENT_FORMAT_OPENAI, 'openai', { model: 'm', messages: [] }), ctx())).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('count answers', () => {
  it('reads Anthropic’s and Google’s count and refuses anything else', () => {
    expect(readUpstreamCount('{"input_tokens":3}')?.tokens).toBe(3);
    expect(readUpstreamCount('{"totalTokens":4}')?.tokens).toBe(4);
    expect(readUpstreamCount('{"totalTokens":-1}')).toBeUndefined();
    expect(readUpstreamCount('<html>')).toBeUndefined();
    expect(countAnswer('anthropic', 5)).toBe('{"input_tokens":5}');
    expect(countAnswer('gemini', 5)).toBe('{"totalTokens":5}');
  });
});

describe('estimateInputTokens', () => {
  it('counts what the model reads: system, every part, tool declarations, images at a flat rate', async () => {
    const ir = {
      system: 'Be terse.',
      messages: [
        { role: 'user' as const, parts: [{ type: 'text' as const, text: 'Hello world' }, { type: 'image' as const, source: { kind: 'url' as const, url: 'https://x/y.png' } }] },
        { role: 'assistant' as const, parts: [{ type: 'tool_call' as const, id: 'c1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
      ],
      tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
      stop: [],
      stream: false,
      dropped: [],
    };
    expect(inputTexts(ir)).toEqual({
      texts: ['Be terse.', 'Hello world', 'get_weather', '{"city":"Oslo"}', '{"name":"get_weather","description":"","parameters":{"type":"object"}}'],
      images: 1,
      messages: 3,
    });
    const tokens = await estimateInputTokens(ir);
    // o200k_base: a few tokens per text, 85 for the image, 3 per message and 3 to prime the reply.
    expect(tokens).toBeGreaterThan(85 + 12);
    expect(tokens).toBeLessThan(85 + 12 + 60);
    expect(await estimateInputTokens({ ...ir, system: 'Be terse. Be terse. Be terse.' })).toBeGreaterThan(tokens);
  });
});
