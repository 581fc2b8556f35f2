import { afterAll, beforeAll, describe, expect } from 'vitest';
import { encryptedReasoning, type Reply } from '@aigw/emulators';
import { PROVIDERS, modelPrefix, startConformanceStack, UPSTREAM_FORMAT, type ConformanceStack, type ProviderName } from './conformance-stack.js';
import { countTokensCase, headerPassThroughCase, type Counted, type ProbeHeader } from './header-and-count-cases.js';
import { carriesImageUrl, expectUsage, hasSignatures, hasSystemTurns, sendsSystemTurns, signsReasoning, STOP, type ClientName } from './protocol-rules.js';
import { ResultsRecorder, type CaseOutcome } from './results-recorder.js';
import {
  CACHED_PROMPT,
  emulatorReply,
  FORECAST,
  HISTORY,
  IMAGE_PROMPT,
  IMAGE_URL,
  LIMIT_PROMPT,
  MID_SYSTEM,
  OUTPUT_LIMIT,
  PNG,
  PROMPT,
  REASONING_PROMPT,
  STRUCTURED_PROMPT,
  SYSTEM,
  TOOL_PROMPT,
  TOOL_RESULT,
  WEATHER_TOOL,
  type Asked,
  type Conversation,
  type Mode,
  type Observed,
} from './scenarios.js';

// The conformance cases, the same for every client SDK: each (provider × feature × mode) sends the
// feature's conversation through the SDK and checks that what the SDK parsed is exactly the emulator's
// answer in that client protocol, and that the request reached the provider's upstream in its format.

export type { ClientName } from './protocol-rules.js';

/** One official SDK, connected to the gateway, speaking the neutral conversations. */
export interface ClientDriver {
  /** `probe`: also send `probeHeader`, the way this SDK's users set it. */
  send(model: string, conversation: Conversation, mode: Mode, probe?: boolean): Promise<Observed>;
  /** A header of this SDK's protocol that changes what the upstream does (e.g. anthropic-beta). */
  probeHeader: ProbeHeader;
  /** The SDK's own token-count call (protocols that have one). */
  countTokens?(model: string, conversation: Conversation): Promise<Counted>;
}

export interface SuiteOptions {
  client: ClientName;
  /** Whether the protocol has a token-count call (Anthropic count_tokens, Gemini countTokens). */
  countsTokens: boolean;
  /** npm package name of the SDK. */
  sdk: string;
  /** `import.meta.url` of the test file (names its results file). */
  testFile: string;
  connect(stack: ConformanceStack): ClientDriver;
  /** Rows only this client format has (e.g. the Responses API's previous_response_id), after the shared ones. */
  extraFeatures?: readonly ExtraFeature[];
}

/** What an extra row's case gets to work with. */
export interface ExtraCaseContext {
  client: ClientName;
  driver: ClientDriver;
  stack: ConformanceStack;
  expectAnswer(observed: Observed, reply: Reply, model: string, provider: ProviderName): void;
}

/** A row of the table that one client format adds. */
export interface ExtraFeature {
  name: string;
  /** Part of the model name, so each case's upstream requests are its own. */
  slug: string;
  modes: readonly Mode[];
  /** Upstream requests the case makes, each checked like the shared rows' (format, mode, status 200). */
  upstreamCalls: number;
  run(ctx: ExtraCaseContext, model: string, mode: Mode, provider: ProviderName): Promise<CaseOutcome>;
}

const FEATURES = [
  'plain chat',
  'system prompt',
  'multi-turn',
  'system anywhere',
  'image (base64)',
  'image (URL)',
  'tool loop',
  'output limit',
  'reasoning',
  'cached tokens',
  'header pass-through',
  'count_tokens',
  'structured output',
] as const;
type Feature = (typeof FEATURES)[number];
const SLUG: Record<Feature, string> = {
  'plain chat': 'chat',
  'system prompt': 'system',
  'multi-turn': 'multi-turn',
  // Names Claude Opus 4.8, the model that takes system messages inside `messages`.
  'system anywhere': 'claude-opus-4-8-system',
  'image (base64)': 'image-base64',
  'image (URL)': 'image-url',
  'tool loop': 'tools',
  'output limit': 'limit',
  reasoning: 'reasoning',
  'cached tokens': 'cached',
  'header pass-through': 'headers',
  count_tokens: 'count',
  'structured output': 'structured',
};
/** Features that have no streaming call, and check their own upstream requests. */
const JSON_ONLY: ReadonlySet<Feature> = new Set(['count_tokens']);

/** Defines the stack, every case of the matrix for one client SDK, and the README check. */
export function defineConformanceSuite(options: SuiteOptions): void {
  const { client } = options;
  // First, so that its hook runs before the stack starts (and also when the stack fails to start).
  const recorder = new ResultsRecorder(options.testFile, client, options.sdk);
  let stack: ConformanceStack;
  let driver: ClientDriver;
  beforeAll(async () => {
    stack = await startConformanceStack(client);
    driver = options.connect(stack);
  });
  afterAll(async () => {
    await stack?.teardown();
  });

  /** Asserts the SDK's view of one answer against the emulator's reply. */
  function expectAnswer(observed: Observed, reply: Reply, model: string, provider: ProviderName): void {
    expect(observed.text).toBe(reply.text);
    expect(observed.reasoning).toBe(reply.thinking?.text ?? '');
    if (hasSignatures(client)) {
      const thinking = reply.thinking;
      const signed = thinking !== undefined && signsReasoning(client, provider);
      const signature = provider === 'openai-responses' ? encryptedReasoning(thinking?.text ?? '') : thinking?.signature;
      expect(observed.signatures).toEqual(signed ? [signature] : []);
    }
    const call = reply.toolCall;
    expect(observed.toolCalls.map(({ name, args }) => ({ name, args }))).toEqual(call === undefined ? [] : [{ name: call.name, args: call.arguments }]);
    // OpenAI and Anthropic clients answer a call by its id (Gemini's functionCall.id is optional).
    if (client !== 'gemini') for (const { id } of observed.toolCalls) expect(id).toMatch(/\S/);
    expect(observed.stop).toBe(STOP[client][reply.finish]);
    expectUsage(client, observed.usage, reply);
    if (observed.model !== undefined) expect(observed.model).toBe(model);
  }

  /** Asserts the upstream got `calls` requests for the model, in the provider's own format and mode. */
  function expectUpstream(model: string, provider: ProviderName, mode: Mode, calls: number, status = 200): void {
    // A refused request is recorded before the emulator read its stream flag.
    const seen = stack.upstreamRequests(model).map((r) => ({ format: r.format, ...(status === 200 ? { stream: r.stream } : {}), status: r.status }));
    const stream = status === 200 ? { stream: mode === 'stream' } : {};
    expect(seen).toEqual(Array.from({ length: calls }, () => ({ format: UPSTREAM_FORMAT[provider], ...stream, status })));
  }

  /** One exchange whose answer must be exact with nothing dropped. */
  async function exact(model: string, provider: ProviderName, conversation: Conversation, mode: Mode, asked: Asked): Promise<Observed> {
    const observed = await driver.send(model, conversation, mode);
    expectAnswer(observed, emulatorReply(model, asked), model, provider);
    expect(observed.dropped, 'x-aigw-dropped').toEqual([]);
    return observed;
  }

  /** A request the upstream refuses: a 400 in the client's own protocol, naming what the upstream named. */
  async function refusedUpstream(send: () => Promise<unknown>, message: RegExp): Promise<CaseOutcome> {
    const error = await send().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'the call should fail').toBeDefined();
    expect((error as { status?: number }).status ?? (error as { code?: number }).code).toBe(400);
    expect(String((error as Error).message)).toMatch(message);
    return 'unsupported';
  }

  const features: Record<Feature, (model: string, mode: Mode, provider: ProviderName) => Promise<CaseOutcome>> = {
    'plain chat': async (model, mode, provider) => {
      await exact(model, provider, { turns: [{ role: 'user', text: PROMPT }] }, mode, { texts: [PROMPT], lastUserText: PROMPT });
      return 'pass';
    },
    'system prompt': async (model, mode, provider) => {
      const conversation: Conversation = { system: SYSTEM, turns: [{ role: 'user', text: PROMPT }] };
      await exact(model, provider, conversation, mode, { texts: [SYSTEM, PROMPT], lastUserText: PROMPT });
      return 'pass';
    },
    'multi-turn': async (model, mode, provider) => {
      const [first, answer, last] = HISTORY;
      const conversation: Conversation = {
        system: SYSTEM,
        turns: [
          { role: 'user', text: first },
          { role: 'assistant', text: answer },
          { role: 'user', text: last },
        ],
      };
      await exact(model, provider, conversation, mode, { texts: [SYSTEM, first, answer, last], lastUserText: last });
      return 'pass';
    },
    'system anywhere': async (model, mode, provider) => {
      const [first, answer, last] = HISTORY;
      const conversation: Conversation = {
        system: SYSTEM,
        turns: [
          { role: 'user', text: first },
          { role: 'system', text: MID_SYSTEM },
          { role: 'assistant', text: answer },
          { role: 'user', text: last },
        ],
      };
      // Every word reaches the upstream (the emulator counts them) and the answer is exact.
      if (hasSystemTurns(provider)) {
        await exact(model, provider, conversation, mode, { texts: [SYSTEM, first, MID_SYSTEM, answer, last], lastUserText: last });
        return 'pass';
      }
      // Elsewhere it arrives in place as user text marked as a system instruction (see the README).
      const asked: Asked = { texts: [SYSTEM, first, `<system>\n${MID_SYSTEM}\n</system>`, answer, last], lastUserText: last };
      const observed = await driver.send(model, conversation, mode);
      expectAnswer(observed, emulatorReply(model, asked), model, provider);
      expect(observed.dropped).toEqual(['system_message:user_turn']);
      return { dropped: observed.dropped };
    },
    'image (base64)': async (model, mode, provider) => {
      const conversation: Conversation = { turns: [{ role: 'user', text: IMAGE_PROMPT, image: PNG }] };
      await exact(model, provider, conversation, mode, { texts: [IMAGE_PROMPT], lastUserText: IMAGE_PROMPT, images: 1 });
      return 'pass';
    },
    'image (URL)': async (model, mode, provider) => {
      const conversation: Conversation = { turns: [{ role: 'user', text: IMAGE_PROMPT, image: { url: IMAGE_URL } }] };
      const asked: Asked = { texts: [IMAGE_PROMPT], lastUserText: IMAGE_PROMPT };
      if (carriesImageUrl(client, provider)) {
        await exact(model, provider, conversation, mode, { ...asked, images: 1 });
        return 'pass';
      }
      // Not carried by design: the rest of the request is, and the header names the image that was not.
      const observed = await driver.send(model, conversation, mode);
      expectAnswer(observed, emulatorReply(model, asked), model, provider);
      expect(observed.dropped).toHaveLength(1);
      expect(observed.dropped[0]).toMatch(/image/i);
      return { dropped: observed.dropped };
    },
    'tool loop': async (model, mode, provider) => {
      const tools = [WEATHER_TOOL];
      const asked: Asked = { texts: [TOOL_PROMPT], lastUserText: TOOL_PROMPT, tools };
      const first = await exact(model, provider, { tools, turns: [{ role: 'user', text: TOOL_PROMPT }] }, mode, asked);
      const call = first.toolCalls[0];
      if (call === undefined) throw new Error('the model did not call the tool');
      const conversation: Conversation = {
        tools,
        turns: [
          { role: 'user', text: TOOL_PROMPT },
          { role: 'assistant-reply', reply: first },
          { role: 'tool', callId: call.id, name: call.name, result: TOOL_RESULT },
        ],
      };
      await exact(model, provider, conversation, mode, {
        ...asked,
        texts: [TOOL_PROMPT, TOOL_RESULT],
        toolResults: [{ name: call.name, text: TOOL_RESULT }],
      });
      return 'pass';
    },
    'output limit': async (model, mode, provider) => {
      const conversation: Conversation = { maxTokens: OUTPUT_LIMIT, turns: [{ role: 'user', text: LIMIT_PROMPT }] };
      // OpenAI's Responses API takes no limit below 16 tokens: its refusal reaches the client in the client's shape.
      if (provider === 'openai-responses') return refusedUpstream(() => driver.send(model, conversation, mode), /max_output_tokens/);
      await exact(model, provider, conversation, mode, { texts: [LIMIT_PROMPT], lastUserText: LIMIT_PROMPT, maxOutputTokens: OUTPUT_LIMIT });
      return 'pass';
    },
    reasoning: async (model, mode, provider) => {
      const conversation: Conversation = { reasoning: true, turns: [{ role: 'user', text: REASONING_PROMPT }] };
      await exact(model, provider, conversation, mode, { texts: [REASONING_PROMPT], lastUserText: REASONING_PROMPT, thinking: true });
      return 'pass';
    },
    'cached tokens': async (model, mode, provider) => {
      await exact(model, provider, { turns: [{ role: 'user', text: CACHED_PROMPT }] }, mode, { texts: [CACHED_PROMPT], lastUserText: CACHED_PROMPT });
      return 'pass';
    },
    'header pass-through': (model, mode, provider) => headerPassThroughCase({ client, driver, stack, expectAnswer }, model, mode, provider),
    count_tokens: (model, _mode, provider) => countTokensCase({ client, driver, stack, expectAnswer }, model, provider),
    'structured output': async (model, mode, provider) => {
      const observed = await driver.send(model, { turns: [{ role: 'user', text: STRUCTURED_PROMPT }], output: FORECAST }, mode);
      // The schema reached the upstream as structured output (narrowed to what that provider enforces), and
      // the answer is the emulator's document for it, carried back unchanged, valid for the client's schema.
      const received = stack.upstreamRequests(model).at(-1)?.responseFormat;
      expect(received?.type).toBe('json_schema');
      const reply = emulatorReply(model, { texts: [STRUCTURED_PROMPT], lastUserText: STRUCTURED_PROMPT, ...(received === undefined ? {} : { responseFormat: received }) });
      expectAnswer(observed, reply, model, provider);
      expect(observed.parsed).toEqual(FORECAST.schema.parse(JSON.parse(reply.text)));
      expect(observed.dropped, 'x-aigw-dropped').toEqual([]);
      return 'pass';
    },
  };

  for (const provider of PROVIDERS) {
    describe(`${client} SDK → ${provider} provider`, () => {
      for (const feature of FEATURES) {
        if (feature === 'system anywhere' && !sendsSystemTurns(client)) continue;
        if (feature === 'count_tokens' && !options.countsTokens) continue;
        for (const mode of JSON_ONLY.has(feature) ? (['json'] as const) : (['json', 'stream'] as const)) {
          recorder.case(`${feature} (${mode})`, { provider, feature, mode }, async () => {
            const model = `${modelPrefix(provider)}${SLUG[feature]}-${mode}`;
            const outcome = await features[feature](model, mode, provider);
            // A request the upstream refused was sent once and answered 400 (a client error: no failover).
            if (!JSON_ONLY.has(feature)) expectUpstream(model, provider, mode, feature === 'tool loop' ? 2 : 1, outcome === 'unsupported' ? 400 : 200);
            return outcome;
          });
        }
      }
      for (const extra of options.extraFeatures ?? []) {
        for (const mode of extra.modes) {
          recorder.case(`${extra.name} (${mode})`, { provider, feature: extra.name, mode }, async () => {
            const model = `${modelPrefix(provider)}${extra.slug}-${mode}`;
            const outcome = await extra.run({ client, driver, stack, expectAnswer }, model, mode, provider);
            expectUpstream(model, provider, mode, extra.upstreamCalls);
            return outcome;
          });
        }
      }
    });
  }
  describe('README', () => {
    recorder.checkReadmeLast();
  });
}
