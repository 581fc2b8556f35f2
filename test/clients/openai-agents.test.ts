import { Agent, run, setTracingDisabled, tool, type ModelResponse } from '@openai/agents';
import { countWords } from '@aigw/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClientsStack, TARGETS, type ClientsStack } from './support/clients-stack.js';
import { expectedGreeting, expectedToolAnswer, expectedWeatherArgs, PROMPT, TOOL_PROMPT, TOOL_RESULT, WEATHER_SCHEMA, WEATHER_TOOL } from './support/expectations.js';

// The OpenAI Agents SDK (`@openai/agents`) with its default model provider, as its users point it at a
// gateway: OPENAI_BASE_URL and OPENAI_API_KEY in the environment (read by the OpenAI client the provider
// makes), the Responses API (its default), tracing off (it would export to api.openai.com). An agent with
// a function tool runs the loop itself: the model calls the tool, the SDK executes it, sends the
// function_call_output back, and the run ends with the model's answer. Against every provider kind.

const INSTRUCTIONS = 'You answer weather questions.';

let stack: ClientsStack;

beforeAll(async () => {
  stack = await startClientsStack('agents');
  // The documented set-up, done before the first run (the default provider makes its client lazily).
  process.env['OPENAI_BASE_URL'] = `${stack.ingressUrl}/v1`;
  process.env['OPENAI_API_KEY'] = stack.clientKey;
  setTracingDisabled(true);
});

afterAll(async () => {
  delete process.env['OPENAI_BASE_URL'];
  delete process.env['OPENAI_API_KEY'];
  await stack?.teardown();
});

/** The SDK's type of a strict JSON Schema object (not exported by name). */
type StrictJsonSchema = Extract<NonNullable<Parameters<typeof tool>[0]['parameters']>, { additionalProperties: false }>;

function weatherAgent(model: string, calls: unknown[]) {
  const getWeather = tool({
    name: WEATHER_TOOL.name,
    description: WEATHER_TOOL.description,
    // The JSON Schema as written (all properties required, no others): strict mode takes it unchanged.
    parameters: WEATHER_SCHEMA as unknown as StrictJsonSchema,
    strict: true,
    execute: async (input) => {
      calls.push(input);
      return TOOL_RESULT;
    },
  });
  return new Agent({ name: 'Weather', instructions: INSTRUCTIONS, model, tools: [getWeather] });
}

const totalUsage = (responses: ModelResponse[]) => ({
  requests: responses.length,
  inputTokens: responses.reduce((sum, r) => sum + r.usage.inputTokens, 0),
  outputTokens: responses.reduce((sum, r) => sum + r.usage.outputTokens, 0),
});

describe.each(TARGETS)('OpenAI Agents SDK → $label ($model)', (target) => {
  it('an agent with a tool: the tool runs with complete arguments, the answer reports its result, usage is counted', async () => {
    const calls: unknown[] = [];
    const result = await run(weatherAgent(target.model, calls), TOOL_PROMPT);
    expect(calls).toEqual([expectedWeatherArgs()]);
    expect(result.finalOutput).toBe(expectedToolAnswer());
    const usage = totalUsage(result.rawResponses);
    expect(usage.requests).toBe(2);
    expect(usage.inputTokens).toBe(2 * countWords(INSTRUCTIONS) + 2 * countWords(TOOL_PROMPT) + countWords(TOOL_RESULT));
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect(result.lastResponseId).toMatch(/^resp_/);
    expect(stack.upstreamRequests(target.model).slice(-2).map((r) => [r.format, r.stream, r.status])).toEqual([
      [target.wire, false, 200],
      [target.wire, false, 200],
    ]);
  });

  it('the same agent streamed: the text deltas make the answer, and the tool ran once', async () => {
    const calls: unknown[] = [];
    const streamed = await run(weatherAgent(target.model, calls), TOOL_PROMPT, { stream: true });
    let text = '';
    for await (const chunk of streamed.toTextStream()) text += chunk;
    await streamed.completed;
    expect(streamed.error ?? null).toBeNull();
    expect(calls).toEqual([expectedWeatherArgs()]);
    expect(text).toBe(expectedToolAnswer());
    expect(streamed.finalOutput).toBe(expectedToolAnswer());
    expect(stack.upstreamRequests(target.model).slice(-2).map((r) => [r.format, r.stream, r.status])).toEqual([
      [target.wire, true, 200],
      [target.wire, true, 200],
    ]);
  });

  it('a second run continues the first by previousResponseId: the model reads the stored conversation', async () => {
    const agent = new Agent({ name: 'Greeter', instructions: INSTRUCTIONS, model: target.model });
    const first = await run(agent, PROMPT);
    expect(first.finalOutput).toBe(expectedGreeting(target.model).text);
    const followUp = 'Now say goodbye to the gateway';
    const second = await run(agent, followUp, { previousResponseId: first.lastResponseId });
    expect(second.finalOutput).toBe(expectedGreeting(target.model, followUp).text);
    // Only the new question was sent; the upstream still read the first turn (instructions are not carried over).
    const firstAnswer = String(first.finalOutput);
    expect(totalUsage(second.rawResponses).inputTokens).toBe(countWords(INSTRUCTIONS) + countWords(PROMPT) + countWords(firstAnswer) + countWords(followUp));
  });
});
