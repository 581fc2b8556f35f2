import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { argumentsFromSchema, composeReplyText, composeThinking, countWords, encryptedReasoning, structuredAnswerText, thinkingSignature } from '@aigw/emulators';
import { ask, call, CLIENTS, PROVIDERS, providerAccounts, upstreamModelOf, type ClientName, type ProviderName } from './matrix-stack.js';
import { startTestStack, type TestStack } from './test-stack.js';

// Every client format × every provider, whole and streamed, against the upstream emulator speaking
// each provider's real wire format: system prompts, multi-turn history, images, a whole tool loop,
// reasoning with its signature, cached tokens, and output limits. The client must get exactly what the
// emulator produced, in its own protocol, with usage counted once.

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
const words = (...texts: string[]) => texts.reduce((n, t) => n + countWords(t), 0);
const WEATHER = {
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] },
};
/** Reasoning only providers with signatures hand on (OpenAI-compatible reasoning has none). */
const signs = (client: ClientName, provider: ProviderName) => client !== 'openai' && provider !== 'openai';

const COMBOS = CLIENTS.flatMap((client) => PROVIDERS.flatMap((provider) => [false, true].map((stream) => [client, provider, stream] as const)));

describe.each(COMBOS)('%s client → %s provider (stream: %s)', (client, provider, stream) => {
  const UPSTREAM_MODEL = upstreamModelOf(provider);
  it('answers a system prompt and a question, with usage, through the account proxy and credential', async () => {
    const question = 'What is the capital of Norway?';
    const result = await call(stack, client, provider, ask(question), stream);
    const text = composeReplyText(UPSTREAM_MODEL, question);
    expect(result.status).toBe(200);
    expect(result.answer).toMatchObject({ text, stop: 'end', toolCalls: [], reasoning: '' });
    const usage = { input: words(SYSTEM, question), output: words(text), cached: 0 };
    expect(result.answer.usage).toEqual(usage);
    expect(result.usage).toEqual({ inputTokens: usage.input, outputTokens: usage.output, cachedInputTokens: 0 });
    expect(result.dropped).toEqual([]);
    const account = providerAccounts(stack)[provider];
    const recorded = stack.emulator.requests()[0];
    expect(recorded).toMatchObject({ format: provider, model: UPSTREAM_MODEL, credential: account.secret, stream });
    expect(recorded?.viaProxy).toBe(account.proxyName);
  });

  it('carries a multi-turn conversation', async () => {
    const turns = [
      { role: 'user', text: 'Name a fjord.' },
      { role: 'assistant', text: 'Geirangerfjord.' },
      { role: 'user', text: 'And a glacier?' },
    ] as const;
    const result = await call(stack, client, provider, { system: SYSTEM, turns: [...turns] }, stream);
    expect(result.answer.text).toBe(composeReplyText(UPSTREAM_MODEL, 'And a glacier?'));
    expect(result.answer.usage?.input).toBe(words(SYSTEM, 'Name a fjord.', 'Geirangerfjord.', 'And a glacier?'));
  });

  it('carries a base64 image', async () => {
    const result = await call(stack, client, provider, { turns: [{ role: 'user', text: 'What is this?', image: { base64: 'iVBORw0KGgo=' } }] }, stream);
    expect(result.answer.text).toBe(`${composeReplyText(UPSTREAM_MODEL, 'What is this?')} [1 image]`);
    expect(result.dropped).toEqual([]);
  });

  it('carries an image URL where the provider takes one, and reports it dropped where not', async () => {
    const result = await call(stack, client, provider, { turns: [{ role: 'user', text: 'And this?', image: { url: 'https://example.com/cat.png' } }] }, stream);
    const dropped = client !== 'gemini' && (provider === 'gemini' || provider === 'antigravity');
    expect(result.dropped).toEqual(dropped ? ['image_url:remote'] : []);
    expect(result.answer.text).toBe(`${composeReplyText(UPSTREAM_MODEL, 'And this?')}${dropped ? '' : ' [1 image]'}`);
  });

  it('runs a whole tool loop: the model calls the tool with complete arguments, then answers from its result', async () => {
    const question = 'Weather in Oslo?';
    const first = await call(stack, client, provider, ask(question, { tools: [WEATHER] }), stream);
    expect(first.answer.stop).toBe('tool');
    expect(first.answer.text).toBe('');
    const [toolCall] = first.answer.toolCalls;
    expect(first.answer.toolCalls).toHaveLength(1);
    expect(toolCall).toMatchObject({ name: 'get_weather', args: argumentsFromSchema(WEATHER.parameters) });
    const id = toolCall?.id ?? 'call_1';
    const second = await call(
      stack,
      client,
      provider,
      ask(question, {
        tools: [WEATHER],
        turns: [
          { role: 'user', text: question },
          { role: 'assistant', call: { id, name: 'get_weather', args: toolCall?.args } },
          { role: 'tool', id, name: 'get_weather', result: 'sunny, 21 C' },
        ],
      }),
      stream,
    );
    expect(second.answer).toMatchObject({ text: 'Tool get_weather returned: sunny, 21 C', stop: 'end', toolCalls: [] });
    expect(second.answer.usage?.input).toBe(words(SYSTEM, question, 'sunny, 21 C'));
  });

  it('hands reasoning on, with its signature where both sides have one, counted as output', async () => {
    const question = 'Why is the sky blue?';
    const result = await call(stack, client, provider, ask(`${question} [emu thinking=on]`), stream);
    const thinking = composeThinking(question, { kind: 'text' });
    const text = composeReplyText(UPSTREAM_MODEL, question);
    expect(result.answer).toMatchObject({ text, reasoning: thinking.text, stop: 'end' });
    // The Responses API hands its reasoning back encrypted: that is the signature a client keeps.
    const signature = provider === 'responses' ? encryptedReasoning(thinking.text) : thinkingSignature(thinking.text);
    if (client !== 'openai') expect(result.answer.signatures).toEqual(signs(client, provider) ? [signature] : []);
    expect(result.answer.usage?.output).toBe(words(text) + thinking.tokens);
    expect(result.usage?.outputTokens).toBe(words(text) + thinking.tokens);
  });

  it('reports cached input tokens as a part of the input, never on top of it twice', async () => {
    const question = 'Summarise the document.';
    const result = await call(stack, client, provider, ask(`${question} [emu cached=40]`), stream);
    const input = words(SYSTEM, question, '[emu cached=40]') + 40;
    expect(result.answer.usage).toMatchObject({ input, cached: 40 });
    expect(result.usage).toMatchObject({ inputTokens: input, cachedInputTokens: 40 });
  });

  // 16: the least output the Responses API takes.
  it('stops at the output limit with the length stop reason', async () => {
    const question = 'Tell me about the northern lights, the aurora borealis, and why they glow green and red over Norway in the dark winter.';
    const result = await call(stack, client, provider, ask(question, { maxTokens: 16 }), stream);
    expect(result.answer.stop).toBe('length');
    expect(result.answer.text).toBe(composeReplyText(UPSTREAM_MODEL, question).split(' ').slice(0, 16).join(' '));
  });

  it('answers structured output with one JSON document valid against the schema', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city', 'days', 'unit'],
      additionalProperties: false,
    };
    const result = await call(stack, client, provider, ask('Forecast for Oslo?', { schema }), stream);
    expect(result.status).toBe(200);
    expect(JSON.parse(result.answer.text)).toEqual(JSON.parse(structuredAnswerText({ type: 'json_schema', schema }, '')));
    // The schema reaches the upstream (some name it in a `title` where their format has no name field).
    expect(stack.emulator.requests()[0]?.responseFormat).toMatchObject({ type: 'json_schema', schema });
  });
});
