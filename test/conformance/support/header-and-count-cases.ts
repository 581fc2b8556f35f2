import { expect } from 'vitest';
import type { Reply } from '@aigw/emulators';
import type { ClientDriver } from './conformance-suite.js';
import type { ClientName } from './protocol-rules.js';
import type { ConformanceStack, ProviderName } from './conformance-stack.js';
import type { CaseOutcome } from './results-recorder.js';
import { emulatorReply, HISTORY, PROMPT, type Conversation, type Mode, type Observed } from './scenarios.js';

// Two conformance rows beyond the answers themselves: a behaviour-changing client header reaches an upstream of
// the client's own protocol (and is reported elsewhere), and the SDK's token-count call is answered for every
// provider kind, equal to the input tokens of the same request answered as chat.

/** A header an SDK's users send to change what the upstream does. */
export interface ProbeHeader {
  name: string;
  value: string;
}

/** What an SDK's count call gave, with the response headers that say how the gateway counted. */
export interface Counted {
  tokens: number;
  /** `x-aigw-token-count`: `exact` (the provider counted) or `estimate` (the gateway's tokenizer did). */
  how: string | null;
  dropped: string[];
}

export interface CaseContext {
  client: ClientName;
  driver: ClientDriver;
  stack: ConformanceStack;
  expectAnswer(observed: Observed, reply: Reply, model: string, provider: ProviderName): void;
}

/**
 * The header reaches the upstream only between a client and an upstream of one protocol family (Google's are
 * the account's): OpenAI's headers (openai-beta, …) are the same for Chat Completions and the Responses API, on
 * either wire of an OpenAI provider.
 */
const deliversHeader = (client: ClientName, provider: ProviderName): boolean =>
  (client === 'anthropic' && provider === 'anthropic') || ((client === 'openai' || client === 'responses') && provider.startsWith('openai'));

/** OpenAI-kind providers have no count endpoint the gateway uses. */
const countsUpstream = (provider: ProviderName): provider is Exclude<ProviderName, 'openai' | 'openai-responses'> => !provider.startsWith('openai');

export async function headerPassThroughCase(ctx: CaseContext, model: string, mode: Mode, provider: ProviderName): Promise<CaseOutcome> {
  const { name, value } = ctx.driver.probeHeader;
  const observed = await ctx.driver.send(model, { turns: [{ role: 'user', text: PROMPT }] }, mode, true);
  ctx.expectAnswer(observed, emulatorReply(model, { texts: [PROMPT], lastUserText: PROMPT }), model, provider);
  const upstream = ctx.stack.upstreamRequests(model).at(-1);
  const received = upstream?.headers ?? {};
  // The upstream got the account's credential, and no header of any route carries the client's key.
  expect(upstream?.credential).toMatch(/\S/);
  expect(upstream?.credential).not.toBe(ctx.stack.clientKey);
  for (const [header, sent] of Object.entries(received)) expect(sent, header).not.toContain(ctx.stack.clientKey);
  if (deliversHeader(ctx.client, provider)) {
    expect(received[name]).toBe(value);
    expect(observed.dropped, 'x-aigw-dropped').toEqual([]);
    return 'pass';
  }
  expect(received[name]).toBeUndefined();
  expect(observed.dropped).toEqual([`header:${name}`]);
  return { dropped: observed.dropped };
}

/** Where each provider kind counts. */
const COUNT_PATH: Record<Exclude<ProviderName, 'openai' | 'openai-responses'>, RegExp> = {
  anthropic: /^\/v1\/messages\/count_tokens$/,
  gemini: /^\/v1beta\/models\/[^/]+:countTokens$/,
  antigravity: /^\/v1internal:countTokens$/,
};

export async function countTokensCase(ctx: CaseContext, model: string, provider: ProviderName): Promise<CaseOutcome> {
  const count = ctx.driver.countTokens;
  if (count === undefined) throw new Error(`${ctx.client} has no count call`);
  const [first, answer, last] = HISTORY;
  const conversation: Conversation = {
    turns: [
      { role: 'user', text: first },
      { role: 'assistant', text: answer },
      { role: 'user', text: last },
    ],
  };
  const reply = emulatorReply(model, { texts: [first, answer, last], lastUserText: last });
  const counted = await count.call(ctx.driver, model, conversation);
  if (!countsUpstream(provider)) {
    // No count endpoint: the gateway's tokenizer, flagged, and no upstream call at all.
    expect(counted.how).toBe('estimate');
    expect(counted.dropped).toEqual([]);
    expect(counted.tokens).toBeGreaterThanOrEqual(reply.inputTokens);
    expect(ctx.stack.upstreamRequests(model)).toEqual([]);
    return 'estimate';
  }
  expect(counted).toEqual({ tokens: reply.inputTokens, how: 'exact', dropped: [] });
  const [upstream] = ctx.stack.upstreamRequests(model);
  expect(upstream).toMatchObject({ format: provider, status: 200 });
  expect(upstream?.path).toMatch(COUNT_PATH[provider]);
  // The same conversation as a chat request is billed the counted input tokens.
  const chat = await ctx.driver.send(model, conversation, 'json');
  ctx.expectAnswer(chat, reply, model, provider);
  return 'pass';
}
