import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { anthropicBody, chat, messages, openaiBody, post, type HttpResult } from './support/http.js';
import { findLeaks, knownSecrets } from './support/secrets.js';
import { parseSse, type SseEvent } from './support/sse.js';

// DESIGN §1/§3: a Claude model served by the antigravity provider answers in the client's own protocol,
// OpenAI Chat Completions or Anthropic Messages, whole or streamed to a well-formed end; a stream that
// breaks upstream ends with the protocol's error event, never a silent clean end.

const MODEL = 'claude-sonnet-4-5';
const PROMPT = 'Say hello to the gateway';
/** The upstream emulator's deterministic answer and its word-token counts. */
const REPLY = `Hello from ${MODEL}: ${PROMPT}`;
const INPUT_TOKENS = PROMPT.split(' ').length;
const OUTPUT_TOKENS = REPLY.split(' ').length;
/** Makes the upstream stream 20 events and drop the connection after about 4 of them. */
const BREAK = '[emu chunks=20 chunk_delay_ms=10 die_after_bytes=700]';

let ctx: E2eContext;

function expectEventStream(response: HttpResult): SseEvent[] {
  expect(response.status, response.text).toBe(200);
  expect(response.headers.get('content-type') ?? '').toMatch(/^text\/event-stream/);
  return parseSse(response.text);
}

/** OpenAI stream events: every one is JSON except the final [DONE]. */
function openaiChunks(events: SseEvent[]): Record<string, any>[] {
  return events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as Record<string, any>);
}

beforeAll(async () => {
  ctx = await startE2eStack('formats');
});

afterAll(async () => {
  await ctx?.teardown();
});

describe('OpenAI Chat Completions → antigravity', () => {
  it('returns a chat.completion with the answer, stop reason and usage', async () => {
    const response = await chat(ctx.stack, openaiBody(MODEL, PROMPT));
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json/);
    expect(response.json).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        object: 'chat.completion',
        created: expect.any(Number),
        model: MODEL,
        choices: [expect.objectContaining({ index: 0, message: expect.objectContaining({ role: 'assistant', content: REPLY }), finish_reason: 'stop' })],
        usage: expect.objectContaining({ prompt_tokens: INPUT_TOKENS, completion_tokens: OUTPUT_TOKENS, total_tokens: INPUT_TOKENS + OUTPUT_TOKENS }),
      }),
    );
  });

  it('streams chat.completion.chunk events to data: [DONE], with usage when asked for', async () => {
    const events = expectEventStream(await chat(ctx.stack, openaiBody(MODEL, PROMPT, { stream: true, stream_options: { include_usage: true } })));
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(events.filter((e) => e.data === '[DONE]')).toHaveLength(1);
    const chunks = openaiChunks(events);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk, JSON.stringify(chunk)).toEqual(expect.objectContaining({ object: 'chat.completion.chunk', id: chunks[0]?.id }));
    const withChoice = chunks.filter((c) => (c.choices ?? []).length > 0);
    expect(withChoice.map((c) => c.choices[0].delta?.content ?? '').join('')).toBe(REPLY);
    expect(withChoice.filter((c) => c.choices[0].finish_reason != null).map((c) => c.choices[0].finish_reason)).toEqual(['stop']);
    expect(withChoice[0]?.choices[0].delta?.role).toBe('assistant');
    const usage = chunks.filter((c) => c.usage != null);
    expect(usage.at(-1)?.usage).toEqual(
      expect.objectContaining({ prompt_tokens: INPUT_TOKENS, completion_tokens: OUTPUT_TOKENS, total_tokens: INPUT_TOKENS + OUTPUT_TOKENS }),
    );
  });

  it('streams without a usage chunk when the client did not ask for one', async () => {
    const events = expectEventStream(await chat(ctx.stack, openaiBody(MODEL, PROMPT, { stream: true })));
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = openaiChunks(events);
    expect(chunks.map((c) => (c.choices ?? [])[0]?.delta?.content ?? '').join('')).toBe(REPLY);
    expect(chunks.filter((c) => c.usage != null && (c.choices ?? []).length === 0)).toEqual([]);
  });

  it('ends a stream that breaks upstream with an error event and no [DONE]', async () => {
    const events = expectEventStream(await chat(ctx.stack, openaiBody(MODEL, `${PROMPT} ${BREAK}`, { stream: true })));
    expect(events.some((e) => e.data === '[DONE]')).toBe(false);
    const chunks = openaiChunks(events);
    expect(chunks.filter((c) => c.error === undefined).length).toBeGreaterThan(0);
    expect(chunks.at(-1)?.error).toEqual(expect.objectContaining({ message: expect.any(String), type: expect.any(String) }));
  });
});

describe('Anthropic Messages → antigravity', () => {
  it('returns a message with the answer, stop reason and usage', async () => {
    const response = await messages(ctx.stack, anthropicBody(MODEL, PROMPT));
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json/);
    expect(response.json).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        type: 'message',
        role: 'assistant',
        model: MODEL,
        content: [expect.objectContaining({ type: 'text', text: REPLY })],
        stop_reason: 'end_turn',
        usage: expect.objectContaining({ input_tokens: INPUT_TOKENS, output_tokens: OUTPUT_TOKENS }),
      }),
    );
  });

  it('streams the Messages event sequence to event: message_stop', async () => {
    const events = expectEventStream(await messages(ctx.stack, anthropicBody(MODEL, PROMPT, { stream: true })));
    const parsed = events.map((e) => ({ event: e.event, data: JSON.parse(e.data) as Record<string, any> }));
    for (const e of parsed) expect(e.data.type, `event ${String(e.event)}`).toBe(e.event);
    const names = parsed.map((e) => e.event).filter((name) => name !== 'ping');
    expect(names[0]).toBe('message_start');
    expect(names.at(-1)).toBe('message_stop');
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(names[1]).toBe('content_block_start');
    expect(new Set(names.slice(2, -3))).toEqual(new Set(['content_block_delta']));

    const start = parsed[0]?.data;
    expect(start?.message).toEqual(expect.objectContaining({ type: 'message', role: 'assistant', model: MODEL }));
    const text = parsed
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => {
        expect(e.data.delta.type).toBe('text_delta');
        return e.data.delta.text as string;
      })
      .join('');
    expect(text).toBe(REPLY);
    const delta = parsed.find((e) => e.event === 'message_delta')?.data;
    expect(delta?.delta.stop_reason).toBe('end_turn');
    // Usage as Anthropic's SDKs accumulate it: message_start's, overridden by message_delta's fields (an
    // upstream that reports prompt tokens only at the end can give input_tokens there).
    expect({ ...start?.message.usage, ...delta?.usage }).toEqual(
      expect.objectContaining({ input_tokens: INPUT_TOKENS, output_tokens: OUTPUT_TOKENS }),
    );
  });

  it('ends a stream that breaks upstream with event: error and no message_stop', async () => {
    const events = expectEventStream(await messages(ctx.stack, anthropicBody(MODEL, `${PROMPT} ${BREAK}`, { stream: true })));
    expect(events.some((e) => e.event === 'message_stop')).toBe(false);
    expect(events[0]?.event).toBe('message_start');
    const last = events.at(-1);
    expect(last?.event).toBe('error');
    expect(JSON.parse(last?.data ?? '{}')).toEqual({ type: 'error', error: expect.objectContaining({ type: expect.any(String), message: expect.any(String) }) });
  });
});

describe('Gemini streamGenerateContent without alt=sse: one JSON array, framed once by provider-call', () => {
  const geminiBody = (prompt: string) => ({ contents: [{ role: 'user', parts: [{ text: prompt }] }] });
  const streamArray = (model: string, prompt: string) =>
    post(ctx.stack, `/v1beta/models/${model}:streamGenerateContent`, geminiBody(prompt), 'none', { 'x-goog-api-key': ctx.stack.demoKey });
  const text = (elements: Record<string, any>[]) =>
    elements.map((e) => (e.candidates?.[0]?.content?.parts ?? []).map((p: { text?: string; thought?: boolean }) => (p.thought ? '' : (p.text ?? ''))).join('')).join('');

  for (const [route, model] of [['passed through to antigravity', 'gemini-2.5-flash'], ['translated for an OpenAI upstream', 'gpt-4o']] as const) {
    it(`streams the answer as array elements, Google's separators and a final finishReason (${route})`, async () => {
      const response = await streamArray(model, PROMPT);
      expect(response.status, response.text).toBe(200);
      expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json/);
      expect(response.text.startsWith('[')).toBe(true);
      const elements = JSON.parse(response.text) as Record<string, any>[];
      expect(elements.length).toBeGreaterThan(1);
      expect(response.text).toContain('\n,\r\n');
      expect(text(elements)).toContain(PROMPT);
      expect(elements.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
      expect(elements.at(-1)?.usageMetadata).toEqual(expect.objectContaining({ promptTokenCount: expect.any(Number), candidatesTokenCount: expect.any(Number) }));
    });
  }

  it('ends a stream that breaks upstream with Google’s error object as the last element of a valid array', async () => {
    const response = await streamArray('gemini-2.5-flash', `${PROMPT} ${BREAK}`);
    expect(response.status, response.text).toBe(200);
    const elements = JSON.parse(response.text) as Record<string, any>[];
    expect(elements.at(-1)).toEqual({ error: expect.objectContaining({ code: expect.any(Number), message: expect.any(String), status: expect.any(String) }) });
    expect(elements.slice(0, -1).every((e) => e.candidates !== undefined)).toBe(true);
  });
});

describe('secrets', () => {
  it('no credential appears in any log line of any service', async () => {
    const secrets = await knownSecrets(ctx);
    expect(findLeaks(ctx.stack.logs(), secrets)).toEqual([]);
  });
});
