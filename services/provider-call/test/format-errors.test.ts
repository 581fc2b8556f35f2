import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseParser } from '@aigw/formats';
import { ask, call, CLIENTS, PROVIDERS, type ClientName } from './matrix-stack.js';
import { streamText, startTestStack, type TestStack } from './test-stack.js';

// Upstream errors of every provider reach every client in the client's own protocol: a rate limit as
// the protocol's error status and shape with its retry hint, and an error in the middle of a stream as
// the protocol's error event, never as a clean end.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** The rate-limit error shape each client protocol expects. */
function expectRateLimitShape(client: ClientName, body: string): void {
  const json = JSON.parse(body);
  if (client === 'openai' || client === 'responses') expect(json).toMatchObject({ error: { code: 'rate_limit_exceeded', message: expect.any(String) } });
  if (client === 'anthropic') expect(json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) } });
  if (client === 'gemini') expect(json).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.any(String) } });
}

function sseEvents(text: string) {
  const parser = new SseParser();
  return [...parser.push(new TextEncoder().encode(text)), ...parser.end()];
}

const COMBOS = CLIENTS.flatMap((client) => PROVIDERS.map((provider) => [client, provider] as const));

describe.each(COMBOS)('%s client → %s provider errors', (client, provider) => {
  it('answers a rate limit with 429, the retry hint and the client protocol error shape', async () => {
    const result = await call(stack, client, provider, ask('hi [emu status=429 retry_after=2]'), false);
    expect(result.status).toBe(429);
    expectRateLimitShape(client, result.body);
  });

  it('answers a streamed rate limit before any data, so the caller may fail over', async () => {
    const result = await call(stack, client, provider, ask('hi [emu status=429 retry_after=3]'), true);
    expect(result.chunks.map((c) => (c.start ? 'start' : c.error ? 'error' : 'other'))).toEqual(['start', 'error']);
    expect(result.chunks[1]?.error).toMatchObject({ status: 429, retryAfterMs: 3000 });
    expectRateLimitShape(client, result.body);
  });

  // The delay makes the first events reach the client before the error; a stream that fails within its
  // first read sends no data at all, so that the caller can still fail over (see upstream-failures).
  it('ends a stream that fails midway with the protocol error event, never a clean end', async () => {
    const result = await call(stack, client, provider, ask('tell me a story [emu chunks=6 chunk_delay_ms=15 stream_error=503]'), true);
    expect(result.status).toBe(200);
    expect(result.answer.error).toBeDefined();
    expect(result.chunks.at(-1)?.error).toMatchObject({ status: 0, errorClass: 'upstream_stream_broken' });
    const events = sseEvents(streamText(result.chunks));
    const last = events.at(-1);
    if (client === 'openai') {
      expect(JSON.parse(last?.data ?? '')).toMatchObject({ error: { type: 'server_error' } });
      expect(events.some((e) => e.data === '[DONE]')).toBe(false);
    }
    if (client === 'anthropic') {
      expect(last?.event).toBe('error');
      expect(events.some((e) => e.event === 'message_stop')).toBe(false);
    }
    if (client === 'responses') {
      // Translated: `error` (the openai SDK throws on it), then `response.failed` (what Codex reads). Passed
      // through to a Responses upstream: the upstream's own `response.failed`, as OpenAI sends it, after the text so far.
      const tail = provider === 'responses' ? ['response.output_text.delta', 'response.failed'] : ['error', 'response.failed'];
      expect(events.slice(-2).map((e) => e.event)).toEqual(tail);
      expect(JSON.parse(last?.data ?? '').response).toMatchObject({ status: 'failed', error: { code: expect.any(String), message: expect.any(String) } });
      expect(events.some((e) => e.event === 'response.completed' || e.event === 'response.incomplete')).toBe(false);
    }
    if (client === 'gemini') {
      expect(JSON.parse(last?.data ?? '').error).toMatchObject({ code: expect.any(Number), message: expect.any(String), status: expect.any(String) });
      expect(events.slice(0, -1).some((e) => JSON.parse(e.data).candidates?.[0]?.finishReason !== undefined)).toBe(false);
    }
  });
});
