import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeReplyText, countWords } from '@aigw/emulators';
import { ClientFormat, type Account } from '@aigw/proto';
import { anthropicAnswer, anthropicStreamAnswer, openAiAnswer, openAiStreamAnswer, type ClientAnswer } from './client-answers.js';
import { invokeRequest, startTestStack, streamText, type TestStack } from './test-stack.js';

// Every client format × provider × (non-)streaming through the real emulator and forward proxies: the
// client gets the emulator's deterministic reply in its own protocol, with usage and stop reason, and
// the request went out through the account's proxy.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  stack.emulator.clearRequests();
});

const SYSTEM = 'You are terse.';
const QUESTION = 'What is the capital of Norway?';

const clients = {
  openai: {
    format: ClientFormat.CLIENT_FORMAT_OPENAI,
    body: (extra: object = {}) => ({
      model: 'gpt-alias',
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: QUESTION },
      ],
      ...extra,
    }),
    maxTokens: (n: number) => ({ max_tokens: n }),
    answer: openAiAnswer,
    streamAnswer: openAiStreamAnswer,
    stop: { end: 'stop', length: 'length' },
  },
  anthropic: {
    format: ClientFormat.CLIENT_FORMAT_ANTHROPIC,
    body: (extra: object = {}) => ({ model: 'claude-alias', max_tokens: 200, system: SYSTEM, messages: [{ role: 'user', content: QUESTION }], ...extra }),
    maxTokens: (n: number) => ({ max_tokens: n }),
    answer: anthropicAnswer,
    streamAnswer: anthropicStreamAnswer,
    stop: { end: 'end_turn', length: 'max_tokens' },
  },
} as const;

function providers(stack: TestStack): Record<string, { account: Partial<Account>; proxyName: string; format: string }> {
  return {
    openai: {
      account: { id: 11, providerKind: 'openai', baseUrl: `${stack.emulator.url}/v1`, proxyId: stack.proxyIds.a },
      proxyName: 'proxy-a',
      format: 'openai',
    },
    antigravity: {
      account: { id: 12, providerKind: 'antigravity', baseUrl: stack.emulator.url, proxyId: stack.proxyIds.b, settingsJson: '{"project":"proj-1"}' },
      proxyName: 'proxy-b',
      format: 'antigravity',
    },
  };
}

const expectedText = composeReplyText('up-model', QUESTION);
const expectedInput = countWords(SYSTEM) + countWords(QUESTION);
const expectedOutput = countWords(expectedText);

describe.each(['openai', 'anthropic'] as const)('%s client', (clientName) => {
  const client = clients[clientName];

  describe.each(['openai', 'antigravity'] as const)('→ %s provider', (providerName) => {
    it('answers a non-streaming call in the client protocol, through the account proxy', async () => {
      const provider = providers(stack)[providerName]!;
      const response = await stack.invoke(invokeRequest({ clientFormat: client.format, account: provider.account, body: client.body() }));
      expect(response.status).toBe(200);
      expect(response.proxyId).toBe(provider.account.proxyId);
      const answer: ClientAnswer = client.answer(response.body.toString('utf8'));
      expect(answer.text).toBe(expectedText);
      expect(answer.stopReason).toBe(client.stop.end);
      expect(answer.inputTokens).toBe(expectedInput);
      expect(answer.outputTokens).toBe(expectedOutput);
      expect(response.usage).toEqual({ inputTokens: expectedInput, outputTokens: expectedOutput, cachedInputTokens: 0 });
      const [recorded] = stack.emulator.requests();
      expect(recorded).toMatchObject({ format: provider.format, model: 'up-model', credential: 'sk-test-1', viaProxy: provider.proxyName, stream: false });
    });

    it('streams the answer as client-protocol SSE with usage at the end', async () => {
      const provider = providers(stack)[providerName]!;
      const chunks = await stack.invokeStream(
        invokeRequest({ clientFormat: client.format, account: provider.account, body: client.body({ stream: true }), stream: true }),
      );
      expect(chunks[0]?.start).toMatchObject({ status: 200, proxyId: provider.account.proxyId });
      expect(chunks.filter((c) => c.data).length).toBeGreaterThan(0);
      expect(chunks.at(-1)?.usage).toEqual({ inputTokens: expectedInput, outputTokens: expectedOutput, cachedInputTokens: 0 });
      expect(chunks.some((c) => c.error)).toBe(false);
      const answer = client.streamAnswer(streamText(chunks));
      expect(answer.text).toBe(expectedText);
      expect(answer.stopReason).toBe(client.stop.end);
      if (clientName === 'openai') {
        expect(answer.events.at(-1)?.data).toBe('[DONE]');
        // The client did not ask for stream usage, so the upstream's usage chunk is not shown to it.
        expect(answer.inputTokens).toBeUndefined();
      } else {
        expect(answer.events.at(-1)?.event).toBe('message_stop');
        expect(answer.outputTokens).toBe(expectedOutput);
      }
      expect(stack.emulator.requests()[0]).toMatchObject({ viaProxy: provider.proxyName, stream: true });
    });

    it('reports a cut-off answer as length / max_tokens', async () => {
      const provider = providers(stack)[providerName]!;
      const response = await stack.invoke(
        invokeRequest({ clientFormat: client.format, account: provider.account, body: client.body(client.maxTokens(3)) }),
      );
      const answer = client.answer(response.body.toString('utf8'));
      expect(answer.stopReason).toBe(client.stop.length);
      expect(answer.text).toBe(expectedText.split(' ').slice(0, 3).join(' '));
    });
  });
});

describe('OpenAI stream usage', () => {
  it('shows the usage chunk to a client that asked for it', async () => {
    const provider = providers(stack).openai!;
    const body = clients.openai.body({ stream: true, stream_options: { include_usage: true } });
    const chunks = await stack.invokeStream(invokeRequest({ clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI, account: provider.account, body, stream: true }));
    const answer = openAiStreamAnswer(streamText(chunks));
    expect(answer.inputTokens).toBe(expectedInput);
    expect(answer.outputTokens).toBe(expectedOutput);
  });
});

describe('proxy binding', () => {
  it('sends the account credential through the proxy with proxy credentials, and counts it in Redis', async () => {
    stack.proxyA.reset();
    // Counters are written in batches (every 20 ms here): let the earlier tests' counts land first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = Number((await stack.redis.get(`stats:proxy:{${stack.proxyIds.a}}:requests`)) ?? 0);
    const provider = providers(stack).openai!;
    await stack.invoke(invokeRequest({ clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI, account: provider.account, body: clients.openai.body(), token: 'sk-proxied' }));
    expect(stack.proxyA.stats()).toMatchObject({ requests: 1, byCredential: { 'sk-proxied': 1 } });
    await expect.poll(async () => Number(await stack.redis.get(`stats:proxy:{${stack.proxyIds.a}}:requests`))).toBe(before + 1);
  });

  it('calls directly when the account has no proxy', async () => {
    const response = await stack.invoke(
      invokeRequest({ clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI, account: { id: 13, providerKind: 'openai', baseUrl: `${stack.emulator.url}/v1` }, body: clients.openai.body() }),
    );
    expect(response.status).toBe(200);
    expect(response.proxyId).toBe(0);
    expect(stack.emulator.requests()[0]?.viaProxy).toBeUndefined();
  });
});
