import { countWords, toolResultText } from '@aigw/emulators';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { generateObject, generateText, jsonSchema, stepCountIs, streamText, tool, type LanguageModel } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startClientsStack, TARGETS, type ClientsStack } from './support/clients-stack.js';
import {
  expectedGreeting,
  expectedToolAnswer,
  expectedWeatherArgs,
  OBJECT_PROMPT,
  PROMPT,
  TOOL_PROMPT,
  TOOL_RESULT,
  WEATHER_SCHEMA,
  WEATHER_TOOL,
} from './support/expectations.js';

// The Vercel AI SDK as its users write it, pointed at the gateway by base URL and the demo key: the
// OpenAI provider's default model (`openai(id)`, the Responses API, with its default `store`), its Chat
// Completions model (`.chat()`), the Anthropic provider (Messages) and the Google provider (Gemini
// generateContent), each against every provider kind behind the gateway.

let stack: ClientsStack;

beforeAll(async () => {
  stack = await startClientsStack('aisdk');
});

afterAll(async () => {
  await stack?.teardown();
});

type Provider = {
  name: string;
  model(id: string): LanguageModel;
  /** The tool result as this provider puts it on the wire (what the upstream reads, translated or not). */
  toolResultPayload: unknown;
};

const PROVIDERS: Provider[] = [
  { name: '@ai-sdk/openai (Responses)', model: (id) => createOpenAI({ baseURL: `${stack.ingressUrl}/v1`, apiKey: stack.clientKey })(id), toolResultPayload: TOOL_RESULT },
  { name: '@ai-sdk/openai .chat()', model: (id) => createOpenAI({ baseURL: `${stack.ingressUrl}/v1`, apiKey: stack.clientKey }).chat(id), toolResultPayload: TOOL_RESULT },
  { name: '@ai-sdk/anthropic', model: (id) => createAnthropic({ baseURL: `${stack.ingressUrl}/v1`, apiKey: stack.clientKey })(id), toolResultPayload: TOOL_RESULT },
  {
    name: '@ai-sdk/google',
    model: (id) => createGoogleGenerativeAI({ baseURL: `${stack.ingressUrl}/v1beta`, apiKey: stack.clientKey })(id),
    // functionResponse.response = { name, content }: the model reads that object (as JSON once translated).
    toolResultPayload: { name: WEATHER_TOOL.name, content: TOOL_RESULT },
  },
];

const City = z.object({ name: z.string(), country: z.string(), population: z.number().int(), coastal: z.boolean() });

function weatherTools(calls: unknown[]) {
  return {
    [WEATHER_TOOL.name]: tool({
      description: WEATHER_TOOL.description,
      inputSchema: jsonSchema<Record<string, unknown>>(WEATHER_SCHEMA as Parameters<typeof jsonSchema>[0]),
      execute: async (input) => {
        calls.push(input);
        return TOOL_RESULT;
      },
    }),
  };
}

describe.each(PROVIDERS)('AI SDK $name', (provider) => {
  describe.each(TARGETS)('→ $label ($model)', (target) => {
    it('generateText: the text and the token usage', async () => {
      const expected = expectedGreeting(target.model);
      const result = await generateText({ model: provider.model(target.model), prompt: PROMPT, maxRetries: 0 });
      expect(result.text).toBe(expected.text);
      expect(result.finishReason).toBe('stop');
      expect(result.usage.inputTokens).toBe(expected.inputTokens);
      expect(result.usage.outputTokens).toBe(expected.outputTokens);
    });

    it('streamText: the streamed text and the token usage', async () => {
      const expected = expectedGreeting(target.model);
      const errors: unknown[] = [];
      const result = streamText({ model: provider.model(target.model), prompt: PROMPT, maxRetries: 0, onError: ({ error }) => void errors.push(error) });
      const deltas: string[] = [];
      for await (const delta of result.textStream) deltas.push(delta);
      expect(errors).toEqual([]);
      expect(deltas.join('')).toBe(expected.text);
      expect(await result.finishReason).toBe('stop');
      const usage = await result.usage;
      expect(usage.inputTokens).toBe(expected.inputTokens);
      expect(usage.outputTokens).toBe(expected.outputTokens);
    });

    it('multi-step tool loop (generateText, execute, stopWhen): the tool arguments and the final answer', async () => {
      const calls: unknown[] = [];
      const result = await generateText({
        model: provider.model(target.model),
        prompt: TOOL_PROMPT,
        tools: weatherTools(calls),
        stopWhen: stepCountIs(4),
        maxRetries: 0,
      });
      expect(calls).toEqual([expectedWeatherArgs()]);
      expect(result.steps).toHaveLength(2);
      expect(result.steps[0]?.toolCalls.map((c) => [c.toolName, c.input])).toEqual([[WEATHER_TOOL.name, expectedWeatherArgs()]]);
      expect(result.text).toBe(expectedToolAnswer(toolResultText(provider.toolResultPayload)));
      expect(result.finishReason).toBe('stop');
    });

    it('multi-step tool loop streamed (streamText): the tool arguments and the final answer', async () => {
      const calls: unknown[] = [];
      const errors: unknown[] = [];
      const result = streamText({
        model: provider.model(target.model),
        prompt: TOOL_PROMPT,
        tools: weatherTools(calls),
        stopWhen: stepCountIs(4),
        maxRetries: 0,
        onError: ({ error }) => void errors.push(error),
      });
      expect(await result.text).toBe(expectedToolAnswer(toolResultText(provider.toolResultPayload)));
      expect(errors).toEqual([]);
      expect(calls).toEqual([expectedWeatherArgs()]);
      expect((await result.steps).length).toBe(2);
    });

    it('generateObject: the parsed object follows the schema', async () => {
      const result = await generateObject({ model: provider.model(target.model), schema: City, prompt: OBJECT_PROMPT, maxRetries: 0 });
      expect(City.safeParse(result.object).success).toBe(true);
      expect(result.finishReason).toBe('stop');
      expect(result.usage.inputTokens).toBeGreaterThan(0);
    });
  });
});

// With its default `store`, the Responses model hands earlier output back by id (`item_reference`) rather
// than whole: the reasoning item of a tool-calling step, and the assistant message of an earlier turn (see
// captures of @ai-sdk/openai 3.0.141). The gateway answers those from the responses it stored for the key.
describe.each(TARGETS)('AI SDK @ai-sdk/openai (Responses) with stored output → $label ($model)', (target) => {
  const model = () => createOpenAI({ baseURL: `${stack.ingressUrl}/v1`, apiKey: stack.clientKey })(target.model);

  it('a later turn built from response.messages carries the first answer (item_reference)', async () => {
    const first = await generateText({ model: model(), prompt: PROMPT, maxRetries: 0 });
    expect(first.text).toBe(expectedGreeting(target.model).text);
    const followUp = 'Now say goodbye to the gateway';
    const second = await generateText({
      model: model(),
      messages: [{ role: 'user', content: PROMPT }, ...first.response.messages, { role: 'user', content: followUp }],
      maxRetries: 0,
    });
    expect(second.text).toBe(expectedGreeting(target.model, followUp).text);
    // The upstream read every word of the conversation: the first answer reached it, not only the new question.
    expect(second.usage.inputTokens).toBe(countWords(PROMPT) + countWords(first.text) + countWords(followUp));
  });

  it('a tool loop whose first step reasoned: the reasoning goes back by reference and the loop finishes', async () => {
    const calls: unknown[] = [];
    const result = await generateText({
      model: model(),
      prompt: `${TOOL_PROMPT} [emu thinking=on]`,
      tools: weatherTools(calls),
      stopWhen: stepCountIs(4),
      maxRetries: 0,
    });
    expect(result.steps[0]?.reasoningText ?? '').not.toBe('');
    expect(calls).toEqual([expectedWeatherArgs()]);
    expect(result.steps).toHaveLength(2);
    expect(result.text).toBe(expectedToolAnswer());
    expect(stack.upstreamRequests(target.model).slice(-2).map((r) => [r.format, r.status])).toEqual([
      [target.wire, 200],
      [target.wire, 200],
    ]);
  });
});
