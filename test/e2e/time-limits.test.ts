import { createRedis } from '@aigw/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { anthropicBody, chat, messages, openaiBody, post, type HttpResult } from './support/http.js';
import { parseSse, type SseEvent } from './support/sse.js';

// Issue 12, item 7: LLM calls are long. With the limits set small (a 3 s whole-call limit for non-streaming
// calls, a 1 s idle limit for streams, a 15 s limit on a whole stream), answers within them complete however
// long they run, each limit that ends a call is named (in the client's protocol, as a stream's error event,
// and in the request log), and neither the gateway's limits nor a client's deadline or disconnect cool an
// account down. The upstream emulator is steered by `[emu ...]` directives in the last user message.

let ctx: E2eContext;

const STREAM_TIMEOUT_MS = 15_000;

beforeAll(async () => {
  ctx = await startE2eStack('time_limits', {
    env: {
      'provider-call': { UPSTREAM_TIMEOUT_MS: '3000', STREAM_IDLE_TIMEOUT_MS: '1000' },
      ingress: { STREAM_TIMEOUT_MS: String(STREAM_TIMEOUT_MS) },
    },
  });
});

afterAll(async () => {
  await ctx?.teardown();
});

const expectOk = (response: HttpResult) => expect(response.status, response.text.slice(0, 500)).toBe(200);
const upstreamCalls = (model: string) => ctx.stack.emulators.upstream.requests().filter((r) => r.model === model);
const logRow = (response: HttpResult) => eventually(() => ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId: response.requestId } }));

/** Cooldown keys in Redis for a model (selector's `cooldown:{provider}:account:model`). */
async function cooldownsFor(model: string): Promise<string[]> {
  const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${ctx.stack.redisKeyPrefix}cooldown:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...found.filter((key) => key.endsWith(`:${model}`)));
    } while (cursor !== '0');
    return keys;
  } finally {
    redis.disconnect();
  }
}

/** Gemini generateContent / streamGenerateContent?alt=sse with the demo key. */
function gemini(model: string, text: string, stream: boolean): Promise<HttpResult> {
  const path = `/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
  return post(ctx.stack, path, { contents: [{ role: 'user', parts: [{ text }] }] }, 'none', { 'x-goog-api-key': ctx.stack.demoKey });
}

/** The error a stream ended with, as each protocol frames it (undefined when it ended cleanly). */
function streamError(protocol: 'openai' | 'anthropic' | 'gemini', events: SseEvent[]): string | undefined {
  const last = events.at(-1);
  if (last === undefined) return undefined;
  if (protocol === 'anthropic') return last.event === 'error' ? (JSON.parse(last.data) as { error: { message: string } }).error.message : undefined;
  if (last.data === '[DONE]') return undefined;
  const error = (JSON.parse(last.data) as { error?: { message: string } }).error;
  return error?.message;
}

describe('answers within the limits complete, however long they run', () => {
  it('a non-streaming answer that takes 2 s (whole-call limit 3 s)', async () => {
    const model = 'gpt-limits-slow-answer';
    const started = performance.now();
    const response = await chat(ctx.stack, openaiBody(model, 'take your time [emu delay_ms=2000]'));
    expectOk(response);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2_000);
    expect((response.json as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(`Hello from ${model}: take your time`);
    expect(upstreamCalls(model)).toHaveLength(1);
  });

  it('a stream whose chunks come 0.5 s apart for 10 s (idle limit 1 s, whole-call limit 3 s)', async () => {
    const model = 'claude-limits-long-stream';
    const started = performance.now();
    // At least 21 upstream events 0.5 s apart: the answer runs for 10 s or more.
    const response = await messages(ctx.stack, anthropicBody(model, 'a long story [emu chunks=21 chunk_delay_ms=500]', { stream: true }));
    expectOk(response);
    expect(performance.now() - started).toBeGreaterThanOrEqual(9_900);
    const events = parseSse(response.text);
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(events.some((e) => e.event === 'error')).toBe(false);
    const row = await logRow(response);
    expect({ status: row.statusCode, errorClass: row.errorClass }).toEqual({ status: 200, errorClass: null });
  });
});

describe('a limit that ends a call is named, and cools no account down', () => {
  // Silent for 3 s against a 1 s idle limit: a margin that a loaded machine's late timers cannot close.
  const silent = '[emu chunks=6 chunk_delay_ms=50 pause_after=3 pause_ms=3000]';

  for (const protocol of ['openai', 'anthropic', 'gemini'] as const) {
    it(`a ${protocol} stream that goes silent for 3 s ends with the protocol's error event naming the idle limit`, async () => {
      const model = `gpt-limits-silent-${protocol}`;
      const text = `think hard ${silent}`;
      const response =
        protocol === 'openai'
          ? await chat(ctx.stack, openaiBody(model, text, { stream: true }))
          : protocol === 'anthropic'
            ? await messages(ctx.stack, anthropicBody(model, text, { stream: true }))
            : await gemini(model, text, true);
      expectOk(response);
      const events = parseSse(response.text);
      expect(events.length).toBeGreaterThan(1);
      expect(streamError(protocol, events)).toBe("the upstream sent nothing for 1 s, the gateway's limit for a silent stream");
      const row = await logRow(response);
      expect({ status: row.statusCode, errorClass: row.errorClass }).toEqual({ status: 200, errorClass: 'stream_idle_timeout' });
      expect(await cooldownsFor(model)).toEqual([]);
    });
  }

  it('a stream whose upstream sends no headers within the idle limit fails at once with 504, not retried elsewhere', async () => {
    const model = 'gpt-limits-no-headers';
    const response = await messages(ctx.stack, anthropicBody(model, 'hello [emu delay_ms=3000]', { stream: true }));
    expect(response.status, response.text).toBe(504);
    expect(response.json).toEqual({
      type: 'error',
      error: { type: 'timeout_error', message: "the upstream sent nothing for 1 s, the gateway's limit for a silent stream" },
    });
    expect(upstreamCalls(model)).toHaveLength(1);
    expect((await logRow(response)).errorClass).toBe('stream_idle_timeout');
    expect(await cooldownsFor(model)).toEqual([]);
  });

  it('a non-streaming answer that takes longer than the whole-call limit gets 504 naming it, not retried elsewhere', async () => {
    const model = 'gpt-limits-too-slow';
    const response = await gemini(model, 'write a book [emu delay_ms=4000]', false);
    expect(response.status, response.text).toBe(504);
    expect(response.json).toEqual({
      error: { code: 504, status: 'DEADLINE_EXCEEDED', message: "the upstream did not finish its answer within the gateway's limit for a call (3 s)" },
    });
    expect(upstreamCalls(model)).toHaveLength(1);
    const row = await logRow(response);
    expect({ status: row.statusCode, errorClass: row.errorClass, attempts: row.attempts }).toEqual({ status: 504, errorClass: 'call_timeout', attempts: 1 });
    expect(await cooldownsFor(model)).toEqual([]);
  });

  it("a stream that outlasts the gateway's stream limit ends with an error event naming it, not a clean end", async () => {
    const model = 'gpt-limits-endless';
    const started = performance.now();
    const response = await chat(ctx.stack, openaiBody(model, `go on [emu chunks=60 chunk_delay_ms=500]`, { stream: true }));
    expectOk(response);
    expect(performance.now() - started).toBeGreaterThanOrEqual(STREAM_TIMEOUT_MS - 1_000);
    const events = parseSse(response.text);
    expect(events.length).toBeGreaterThan(10);
    expect(streamError('openai', events)).toBe("the stream reached the gateway's time limit for a stream (15 s)");
    const row = await logRow(response);
    expect({ status: row.statusCode, errorClass: row.errorClass }).toEqual({ status: 200, errorClass: 'stream_timeout' });
    expect(await cooldownsFor(model)).toEqual([]);
  });
});

describe("a client's deadline or disconnect cools no account down", () => {
  it('a client that gives up on a slow non-streaming answer (its own timeout)', async () => {
    const model = 'gpt-limits-impatient';
    const gaveUp = await fetch(`${ctx.stack.ingressUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.stack.demoKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(openaiBody(model, 'slowly [emu delay_ms=2500]')),
      signal: AbortSignal.timeout(700),
    }).catch((error: unknown) => error);
    expect(gaveUp).toBeInstanceOf(Error);
    await eventually(async () => {
      const row = await ctx.prisma.requestLog.findFirstOrThrow({ where: { model } });
      expect({ status: row.statusCode, errorClass: row.errorClass }).toEqual({ status: 499, errorClass: 'client_cancelled' });
    });
    expect(await cooldownsFor(model)).toEqual([]);
    // The same account is still in the rotation: two more requests reach both demo OpenAI accounts.
    for (const text of ['again', 'and again']) expectOk(await chat(ctx.stack, openaiBody(model, text)));
    expect(new Set(upstreamCalls(model).map((r) => r.credential)).size).toBe(2);
  });

  it('a client that disconnects mid-stream', async () => {
    const model = 'gpt-limits-leaver';
    const controller = new AbortController();
    const response = await fetch(`${ctx.stack.ingressUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': ctx.stack.demoKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify(anthropicBody(model, 'tell me everything [emu chunks=20 chunk_delay_ms=200]', { stream: true })),
      signal: controller.signal,
    });
    expectOk({ status: response.status, text: '', headers: response.headers, json: undefined, requestId: '' });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await eventually(async () => {
      const row = await ctx.prisma.requestLog.findFirstOrThrow({ where: { model } });
      expect(row.errorClass).toBe('client_cancelled');
    });
    expect(await cooldownsFor(model)).toEqual([]);
  });
});
