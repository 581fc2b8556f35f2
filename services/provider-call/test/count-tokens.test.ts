import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUnary } from '@aigw/grpc';
import { ClientFormat, CountTokensRequest, InvokeRequest, type Account } from '@aigw/proto';
import { invokeRequest, startTestStack, type TestStack } from './test-stack.js';

// CountTokens against the real upstream emulator through a forward proxy: each provider's count endpoint gets
// the client's count in its own shape, answers the input tokens the same request is billed as chat, and gives
// way to the local estimate when it fails or does not exist.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const ANTHROPIC = ClientFormat.CLIENT_FORMAT_ANTHROPIC;
const GEMINI = ClientFormat.CLIENT_FORMAT_GEMINI;
const messages = [
  { role: 'user', content: 'Name a fjord in Norway.' },
  { role: 'assistant', content: 'Geirangerfjord is a famous one.' },
  { role: 'user', content: 'And a glacier?' },
];
const contents = messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] }));

function accountOf(kind: string): Partial<Account> {
  const base = kind === 'openai' ? `${stack.emulator.url}/v1` : stack.emulator.url;
  return { id: 31, providerKind: kind, baseUrl: base, proxyId: stack.proxyIds.a, settingsJson: '{"project":"p-1"}' };
}

function count(clientFormat: ClientFormat, kind: string, body: unknown, model: string, headers: Array<{ name: string; value: string }> = []) {
  const chat = invokeRequest({ clientFormat, account: accountOf(kind), body, model });
  const credential = kind === 'anthropic' ? { headerName: 'x-api-key', headerValue: 'sk-ant-account' } : kind === 'gemini' ? { headerName: 'x-goog-api-key', headerValue: 'AIza-account' } : chat.credential;
  const { requestId, body: bytes, upstreamModel, account } = chat;
  const request = CountTokensRequest.fromPartial({ requestId, clientFormat, body: bytes, upstreamModel, account, credential, clientHeaders: headers });
  return callUnary(stack.client.countTokens, stack.client, request, Date.now() + 10_000);
}

/** The input tokens the same conversation is billed as a chat request, as the client reads them. */
async function chatInputTokens(clientFormat: ClientFormat, kind: string, body: unknown, model: string): Promise<number> {
  const request = InvokeRequest.fromPartial(invokeRequest({ clientFormat, account: accountOf(kind), body, model }));
  if (kind === 'anthropic') request.credential = { headerName: 'x-api-key', headerValue: 'sk-ant-account', expiresAtMs: 0 };
  if (kind === 'gemini') request.credential = { headerName: 'x-goog-api-key', headerValue: 'AIza-account', expiresAtMs: 0 };
  const response = await stack.invoke(request);
  expect(response.status).toBe(200);
  return response.usage?.inputTokens ?? -1;
}

describe('CountTokens', () => {
  it('Anthropic client, Anthropic upstream: count_tokens through the proxy, with anthropic-beta and the account’s key', async () => {
    const model = 'count-anthropic';
    const beta = { name: 'anthropic-beta', value: 'token-counting-2024-11-01' };
    const response = await count(ANTHROPIC, 'anthropic', { model: 'claude', messages }, model, [beta]);
    expect(response).toMatchObject({ status: 200, estimated: false, droppedFields: [] });
    const chat = await chatInputTokens(ANTHROPIC, 'anthropic', { model: 'claude', max_tokens: 50, messages }, model);
    expect(JSON.parse(response.body.toString())).toEqual({ input_tokens: chat });
    const [recorded] = stack.emulator.requests().filter((r) => r.model === model);
    expect(recorded).toMatchObject({ path: '/v1/messages/count_tokens', credential: 'sk-ant-account', viaProxy: 'proxy-a' });
    expect(recorded?.headers?.['anthropic-beta']).toBe('token-counting-2024-11-01');
  });

  it('every client to every counting provider equals the chat’s input tokens', async () => {
    const anthropicBody = { model: 'claude', messages };
    const geminiBody = { contents };
    for (const kind of ['anthropic', 'gemini', 'antigravity']) {
      for (const [format, body, chatBody] of [
        [ANTHROPIC, anthropicBody, { ...anthropicBody, max_tokens: 50 }],
        [GEMINI, geminiBody, geminiBody],
      ] as const) {
        const model = `count-${kind}-${format}`;
        const response = await count(format, kind, body, model);
        expect(response, model).toMatchObject({ status: 200, estimated: false });
        expect(response.inputTokens, model).toBe(await chatInputTokens(format, kind, chatBody, model));
      }
    }
  });

  it('estimates, and says so, when the count endpoint fails or the provider has none', async () => {
    stack.emulator.script({ match: { path: '/v1internal:countTokens' }, status: 503, times: 1 });
    const failed = await count(GEMINI, 'antigravity', { contents }, 'count-failing');
    expect(failed).toMatchObject({ status: 200, estimated: true });
    expect(JSON.parse(failed.body.toString()).totalTokens).toBe(failed.inputTokens);
    const none = await count(ANTHROPIC, 'openai', { model: 'claude', messages }, 'count-openai');
    expect(none).toMatchObject({ status: 200, estimated: true });
    expect(none.inputTokens).toBeGreaterThan(10);
    expect(stack.emulator.requests().filter((r) => r.model === 'count-openai')).toEqual([]);
  });

  it('hands a bad request back in the client’s shape', async () => {
    const response = await count(GEMINI, 'anthropic', { generateContentRequest: { contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/bmp', data: 'AA==' } }] }] } }, 'count-bad');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body.toString())).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });
});
