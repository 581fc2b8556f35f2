import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SseParser } from '@aigw/formats';
import { callUnary } from '@aigw/grpc';
import { ClientFormat, InvokeRequest, ListModelsRequest } from '@aigw/proto';
import { invokeRequest, streamText, startTestStack, type TestStack } from './test-stack.js';

// Subscription accounts through the real service to the upstream emulator: a Claude OAuth account sends its
// bearer with the OAuth beta (merged with the client's betas); an API-key account
// sends x-api-key and nothing of that; a ChatGPT account goes to the Codex backend as Codex does, and a client
// that wants a whole answer gets one collected from the backend's stream.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => stack.emulator.clearRequests());

const anthropicBody = { model: 'claude', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] };
const openAiBody = { model: 'gpt', messages: [{ role: 'user', content: 'hi' }] };

function claudeRequest(clientFormat: ClientFormat, body: unknown, credential: { headerName: string; headerValue: string }, stream = false): InvokeRequest {
  return InvokeRequest.fromPartial({
    ...invokeRequest({ clientFormat, account: { providerKind: 'anthropic', baseUrl: stack.emulator.url, authType: credential === OAUTH ? 'oauth' : 'api_key' }, body, stream, model: 'claude-sonnet-4-5' }),
    credential,
    clientHeaders: [{ name: 'anthropic-beta', value: 'interleaved-thinking-2025-05-14' }],
  });
}

const OAUTH = { headerName: 'authorization', headerValue: 'Bearer sk-ant-oat01-test' };
const API_KEY = { headerName: 'x-api-key', headerValue: 'sk-ant-api03-test' };

describe('a Claude subscription (OAuth) account', () => {
  it('sends the bearer with the OAuth beta beside the client’s betas, never x-api-key', async () => {
    const response = await stack.invoke(claudeRequest(ClientFormat.CLIENT_FORMAT_ANTHROPIC, anthropicBody, OAUTH));
    expect(response.status, response.body.toString()).toBe(200);
    const [sent] = stack.emulator.requests();
    expect(sent?.headers).toMatchObject({ authorization: 'Bearer sk-ant-oat01-test', 'anthropic-beta': 'oauth-2025-04-20,interleaved-thinking-2025-05-14' });
    expect(sent?.headers?.['x-api-key']).toBeUndefined();
  });

  it('is served from an OpenAI client too, streamed', async () => {
    const chunks = await stack.invokeStream(claudeRequest(ClientFormat.CLIENT_FORMAT_OPENAI, { ...openAiBody, stream: true }, OAUTH, true));
    expect(chunks[0]?.start?.status).toBe(200);
    expect(streamText(chunks)).toContain('[DONE]');
    expect(stack.emulator.requests()[0]?.headers?.['anthropic-beta']).toBe('oauth-2025-04-20');
  });

  it('lists the upstream’s models (with the OAuth beta, which the emulator requires)', async () => {
    const request = ListModelsRequest.fromPartial({
      requestId: 'list-claude-oauth',
      account: { id: 1, providerId: 1, label: 'claude-max', providerKind: 'anthropic', baseUrl: stack.emulator.url, authType: 'oauth' },
      credential: OAUTH,
    });
    const list = await callUnary(stack.client.listModels, stack.client, request, Date.now() + 10_000);
    expect(list.models.length).toBeGreaterThan(0);
    // The emulator refuses an OAuth bearer without the beta (401), as Anthropic does.
    expect(stack.emulator.requests()[0]).toMatchObject({ path: '/v1/models', status: 200, credential: 'sk-ant-oat01-test' });
  });

  it('an API-key account sends x-api-key and no OAuth beta', async () => {
    const response = await stack.invoke(claudeRequest(ClientFormat.CLIENT_FORMAT_ANTHROPIC, anthropicBody, API_KEY));
    expect(response.status).toBe(200);
    const [sent] = stack.emulator.requests();
    expect(sent?.headers).toMatchObject({ 'x-api-key': 'sk-ant-api03-test', 'anthropic-beta': 'interleaved-thinking-2025-05-14' });
    expect(sent?.headers?.authorization).toBeUndefined();
  });
});

describe('a ChatGPT subscription account on the Codex backend', () => {
  const account = () => ({ providerKind: 'openai', providerWire: 'responses', authType: 'oauth', baseUrl: `${stack.emulator.url}/backend-api/codex`, settingsJson: JSON.stringify({ chatgptAccountId: 'acc-7' }) });
  const codexRequest = (clientFormat: ClientFormat, body: unknown, stream: boolean) =>
    InvokeRequest.fromPartial({ ...invokeRequest({ clientFormat, account: account(), body, stream, model: 'gpt-5-codex', token: 'chatgpt-token' }), responseId: 'resp_gw1' });

  it('answers a whole Chat Completions request from the collected stream, sent as Codex sends it', async () => {
    const response = await stack.invoke(codexRequest(ClientFormat.CLIENT_FORMAT_OPENAI, openAiBody, false));
    expect(response.status, response.body.toString()).toBe(200);
    const answer = JSON.parse(response.body.toString()) as { object: string; choices: Array<{ message: { content: string } }> };
    expect(answer.object).toBe('chat.completion');
    expect(answer.choices[0]?.message.content).not.toBe('');
    expect(response.usage?.inputTokens).toBeGreaterThan(0);
    const [sent] = stack.emulator.requests();
    expect(sent).toMatchObject({ path: '/backend-api/codex/responses', stream: true, status: 200 });
    expect(sent?.headers).toMatchObject({
      authorization: 'Bearer chatgpt-token',
      'chatgpt-account-id': 'acc-7',
      'openai-beta': 'responses=experimental',
      originator: 'codex_cli_rs',
    });
  });

  it('answers a whole Responses request as one response object with the gateway’s id, leaving out what the backend refuses', async () => {
    const response = await stack.invoke(codexRequest(ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES, { model: 'gpt', input: 'hi', store: true, safety_identifier: 'u-1', prompt_cache_key: 'conv-1' }, false));
    expect(response.status, response.body.toString()).toBe(200);
    expect(response.droppedFields).toEqual(['safety_identifier']);
    expect(stack.emulator.requests()[0]?.headers?.session_id).toBe('conv-1');
    const answer = JSON.parse(response.body.toString()) as { id: string; object: string; status: string; output: unknown[] };
    expect(answer).toMatchObject({ id: 'resp_gw1', object: 'response', status: 'completed' });
    expect(answer.output.length).toBeGreaterThan(0);
  });

  it('streams to a streaming client', async () => {
    const chunks = await stack.invokeStream(codexRequest(ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES, { model: 'gpt', input: 'hi', stream: true }, true));
    expect(chunks[0]?.start?.status).toBe(200);
    const events = new SseParser().push(new TextEncoder().encode(streamText(chunks))).map((e) => JSON.parse(e.data) as { type: string });
    expect(events.at(-1)?.type).toBe('response.completed');
  });

  it('an openai account without a ChatGPT account id is an ordinary Responses upstream', async () => {
    const request = invokeRequest({ clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI, account: { ...account(), baseUrl: `${stack.emulator.url}/v1`, settingsJson: '' }, body: openAiBody });
    const response = await stack.invoke(request);
    expect(response.status, response.body.toString()).toBe(200);
    const [sent] = stack.emulator.requests();
    expect(sent).toMatchObject({ path: '/v1/responses', stream: false });
    expect(sent?.headers?.['chatgpt-account-id']).toBeUndefined();
  });
});
