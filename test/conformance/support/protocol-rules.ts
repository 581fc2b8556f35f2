import { expect } from 'vitest';
import type { Reply } from '@aigw/emulators';
import type { ProviderName } from './conformance-stack.js';

// What differs between the client protocols and provider kinds of the conformance matrix: each protocol's
// stop reason and usage for the emulator's answer, and what a provider can carry from a client.

export type ClientName = 'openai' | 'responses' | 'anthropic' | 'gemini';

/** Each client protocol's stop reason for the emulator's finish (Gemini has none of its own for tool calls). */
export const STOP: Record<ClientName, Record<Reply['finish'], string>> = {
  openai: { stop: 'stop', length: 'length', tool_calls: 'tool_calls' },
  // The Responses API has no stop reason: a status, and the reason when the answer is incomplete.
  responses: { stop: 'completed', length: 'incomplete:max_output_tokens', tool_calls: 'completed' },
  anthropic: { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' },
  gemini: { stop: 'STOP', length: 'MAX_TOKENS', tool_calls: 'STOP' },
};

/**
 * Each client protocol's usage for the emulator's counts. Cached tokens are a part of OpenAI's
 * prompt_tokens / input_tokens and Gemini's promptTokenCount but beside Anthropic's input_tokens; reasoning
 * tokens are a part of OpenAI's completion_tokens / output_tokens and Anthropic's output_tokens, beside
 * Gemini's candidatesTokenCount.
 */
export function expectUsage(client: ClientName, usage: Record<string, unknown> | undefined, reply: Reply): void {
  const input = reply.inputTokens;
  const cached = reply.cachedTokens ?? 0;
  const output = reply.outputTokens + (reply.thinking?.tokens ?? 0);
  if (client === 'openai') {
    expect(usage).toMatchObject({ prompt_tokens: input + cached, completion_tokens: output, total_tokens: input + cached + output });
    if (cached > 0) expect(usage?.['prompt_tokens_details']).toMatchObject({ cached_tokens: cached });
  } else if (client === 'responses') {
    expect(usage).toMatchObject({ input_tokens: input + cached, output_tokens: output, total_tokens: input + cached + output });
    // Both details are always there in OpenAI's Responses usage (SDKs read them without checking).
    expect(usage?.['input_tokens_details']).toEqual({ cached_tokens: cached });
    const reasoning = (usage?.['output_tokens_details'] as { reasoning_tokens?: unknown } | undefined)?.reasoning_tokens;
    expect(reasoning).toBeTypeOf('number');
    // How output splits into answer and reasoning is the provider's to know (Anthropic reports one sum).
    if (reply.thinking === undefined) expect(reasoning).toBe(0);
    else expect(Number(reasoning)).toBeLessThanOrEqual(output);
  } else if (client === 'anthropic') {
    expect(usage).toMatchObject({ input_tokens: input, output_tokens: output });
    expect(usage?.['cache_read_input_tokens'] ?? 0).toBe(cached);
  } else {
    expect(usage).toMatchObject({ promptTokenCount: input + cached, totalTokenCount: input + cached + output });
    expect(usage?.['cachedContentTokenCount'] ?? 0).toBe(cached);
    // How output splits into answer and thoughts is the provider's to know (Anthropic reports one sum).
    const candidates = usage?.['candidatesTokenCount'];
    const thoughts = usage?.['thoughtsTokenCount'] ?? 0;
    if (reply.thinking === undefined) expect({ candidates, thoughts }).toEqual({ candidates: output, thoughts: 0 });
    else expect(Number(candidates) + Number(thoughts)).toBe(output);
  }
}

/** A Google upstream takes inline bytes only: a remote image URL from an OpenAI or Anthropic client cannot be carried. */
export const carriesImageUrl = (client: ClientName, provider: ProviderName) =>
  client === 'gemini' || provider === 'openai' || provider === 'openai-responses' || provider === 'anthropic';

/** Gemini has one systemInstruction and no system turns: a later system message travels as user text, in place. */
export const hasSystemTurns = (provider: ProviderName) => provider === 'openai' || provider === 'openai-responses' || provider === 'anthropic';
/** Gemini's protocol has no system message inside `contents` to send. */
export const sendsSystemTurns = (client: ClientName) => client !== 'gemini';

/**
 * Reasoning signatures go back only to the provider family that made them; OpenAI's Chat Completions reasoning has
 * none, its Responses API hands reasoning out as `encrypted_content`, which is the signature a client keeps.
 */
export const signsReasoning = (client: ClientName, provider: ProviderName) => client !== 'openai' && client !== 'responses' && provider !== 'openai';
/** OpenAI's protocols have no signature field a client would read (Responses reasoning is opaque `encrypted_content`). */
export const hasSignatures = (client: ClientName) => client !== 'openai' && client !== 'responses';
