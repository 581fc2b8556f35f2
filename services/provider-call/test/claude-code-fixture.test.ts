import { systemTextAsUserText } from '../src/ir/chat-ir.js';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countWords } from '@aigw/emulators';
import { ClientFormat, InvokeRequest, type StreamChunk } from '@aigw/proto';
import { SseParser } from '@aigw/formats';
import { PROTOCOLS } from './client-protocols.js';
import { PROVIDERS, providerAccounts, type ProviderName } from './matrix-stack.js';
import { invokeRequest, startTestStack, streamText, type TestStack } from './test-stack.js';

// The requests Claude Code 2.1 really sends (test/fixtures/claude-code: ~76 KB, 24 tools, a system
// message inside `messages`, metadata.user_id, cache_control, context_management, adaptive thinking,
// signed thinking blocks, a tool result holding an image), sent unchanged to every provider kind,
// whole and streamed. Every word of the conversation, the mid-conversation system message included,
// must reach the upstream (the emulator counts them as input tokens), the image too, and what could
// not be carried is named.

interface Fixture {
  url: string;
  body: Record<string, any>;
}
const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`../../../test/fixtures/claude-code/${name}`, import.meta.url), 'utf8'));
const FIRST_TURN = fixture('first-turn.json');
const TOOL_LOOP = fixture('tool-loop-turn-3.json');
/** Claude Opus 4.8 takes system messages inside `messages`; the emulator enforces that, as Anthropic does. */
const MODEL = 'claude-opus-4-8';
/** The Responses API (OpenAI's, emulated) answers only models OpenAI lists. */
const modelFor = (provider: ProviderName) => (provider === 'responses' ? 'gpt-5.1-codex' : MODEL);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const texts = (content: unknown): string[] =>
  typeof content === 'string' ? [content] : (content as Array<{ type: string; text?: string; content?: unknown }>).flatMap((b) => {
    if (b.type === 'text') return [b.text ?? ''];
    if (b.type === 'tool_result') return texts(b.content ?? '');
    return [];
  });
const thinking = (body: Fixture['body']) =>
  body.messages.flatMap((m: { content: unknown }) => (typeof m.content === 'string' ? [] : (m.content as any[]).filter((b) => b.type === 'thinking').map((b) => b.thinking)));

/**
 * The input tokens the emulator counts for `body` on `provider`: every word of the system prompt and
 * of every message (the mid-conversation system message included); Google formats also count the
 * thinking that went back as thought parts.
 */
function expectedInput(body: Fixture['body'], provider: ProviderName): number {
  const words = [...texts(body.system), ...body.messages.flatMap((m: { content: unknown }) => texts(m.content))].reduce((n, t) => n + countWords(t), 0);
  const google = provider === 'gemini' || provider === 'antigravity';
  // Gemini has no system turns: each system message's text arrives as user text inside <system> … </system>.
  const systemTexts = body.messages.filter((m: { role: string }) => m.role === 'system').flatMap((m: { content: unknown }) => texts(m.content));
  const markers = google ? systemTexts.length * countWords(systemTextAsUserText('')) : 0;
  return words + markers + (google ? thinking(body).reduce((n: number, t: string) => n + countWords(t), 0) : 0);
}

function sseEvents(chunks: StreamChunk[]): Array<{ event: string; data: any }> {
  const parser = new SseParser();
  return [...parser.push(new TextEncoder().encode(streamText(chunks))), ...parser.end()].map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
}

async function send(provider: ProviderName, body: Fixture['body'], stream: boolean) {
  const target = providerAccounts(stack)[provider];
  const request = InvokeRequest.fromPartial({
    ...invokeRequest({ clientFormat: ClientFormat.CLIENT_FORMAT_ANTHROPIC, account: target.account, body: { ...body, stream }, model: modelFor(provider), stream }),
    credential: target.credential,
  });
  if (!stream) {
    const response = await stack.invoke(request, 60_000);
    const text = response.body.toString('utf8');
    return { status: response.status, dropped: response.droppedFields, answer: PROTOCOLS.anthropic.answer(text), events: [], body: text };
  }
  const chunks = await stack.invokeStream(request);
  const events = sseEvents(chunks);
  return { status: chunks[0]?.start?.status ?? 0, dropped: chunks[0]?.start?.droppedFields ?? [], answer: PROTOCOLS.anthropic.streamAnswer(streamText(chunks)), events, body: '' };
}

/** What each provider kind cannot take from Claude Code's request, at the least. */
const LOST: Record<ProviderName, string[]> = {
  anthropic: [],
  openai: ['context_management', 'messages.content.cache_control', 'system.cache_control'],
  responses: ['context_management', 'messages.content.cache_control', 'system.cache_control'],
  gemini: ['context_management', 'messages.content.cache_control', 'system.cache_control', 'metadata.user_id', 'system_message:user_turn'],
  antigravity: ['context_management', 'messages.content.cache_control', 'system.cache_control', 'metadata.user_id', 'system_message:user_turn'],
};

describe.each(PROVIDERS.flatMap((provider) => [false, true].map((stream) => [provider, stream] as const)))(
  'Claude Code → %s provider (stream: %s)',
  (provider, stream) => {
    it('answers the first turn, which ends on a system message, with a call of its first tool', async () => {
      const result = await send(provider, FIRST_TURN.body, stream);
      expect(result.status, result.body).toBe(200);
      expect(result.answer.stop).toBe('tool');
      expect(result.answer.toolCalls.map((c) => c.name)).toEqual(['Agent']);
      expect(result.answer.usage?.input).toBe(expectedInput(FIRST_TURN.body, provider));
      expect(result.dropped).toEqual(expect.arrayContaining(LOST[provider]));
      if (provider === 'anthropic') expect(result.dropped).toEqual([]);
    });

    it('answers from a tool result that holds an image, after signed thinking, with real usage from the first event on', async () => {
      const result = await send(provider, TOOL_LOOP.body, stream);
      expect(result.status, result.body).toBe(200);
      expect(result.answer).toMatchObject({ text: 'Tool Read returned:  [1 image]', stop: 'end', toolCalls: [] });
      const input = expectedInput(TOOL_LOOP.body, provider);
      expect(result.answer.usage?.input).toBe(input);
      expect(result.dropped).toEqual(expect.arrayContaining(LOST[provider]));
      expect(result.dropped).not.toContain('tool_result.content.image');
      // OpenAI takes the end-user id (as `user`) but no images in a tool message: they follow it.
      // Nor the signatures of the thinking Claude Code hands back.
      if (provider === 'openai') expect(result.dropped).toEqual(expect.arrayContaining(['tool_result.image:user_message', 'thinking.signature']));
      if (provider === 'openai') expect(result.dropped).not.toContain('metadata.user_id');
      // The Responses API takes images in a function output, and hands back only its own encrypted reasoning.
      if (provider === 'responses') expect(result.dropped).toEqual(expect.arrayContaining(['thinking.signature']));
      if (provider === 'responses') expect(result.dropped).not.toContain('tool_result.image:user_message');
      if (!stream) return;
      const start = result.events.find((e) => e.event === 'message_start')?.data.message.usage;
      const final = result.events.find((e) => e.event === 'message_delta')?.data.usage;
      // Passed through, the final usage is the upstream's own; translated, it repeats the input tokens.
      if (provider !== 'anthropic') expect(final.input_tokens + final.cache_read_input_tokens).toBe(input);
      // An OpenAI-compatible upstream counts the prompt only after the last token: message_start has the
      // gateway's own estimate there (a tokenizer's count, not the emulator's words); the others' count comes first.
      if (provider === 'openai' || provider === 'responses') expect(start.input_tokens).toBeGreaterThan(0);
      else expect(start.input_tokens).toBe(input);
      expect(start.output_tokens).toBeLessThanOrEqual(1);
    });
  },
);
