import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { anthropicBody, get, messages, openaiBody, chat, post, scrape, type HttpResult } from './support/http.js';

// Issue 14, item 4 (DESIGN §9): under overload ingress sheds early with 503 + Retry-After in the client's own
// protocol instead of queueing. With MAX_IN_FLIGHT 8 and a queue of 8 waiting at most 1 s, a burst of 200
// requests to an upstream that takes 0.5 s per answer is either answered or shed; none hangs, memory stays
// bounded, health and metrics are still served, and a stream holds its slot until its last event.

let ctx: E2eContext;
const MAX_QUEUE_MS = 1_000;

beforeAll(async () => {
  ctx = await startE2eStack('overload', {
    env: { ingress: { MAX_IN_FLIGHT: '8', MAX_QUEUE: '8', MAX_QUEUE_MS: String(MAX_QUEUE_MS) } },
  });
});

afterAll(async () => {
  await ctx?.teardown();
});

type Protocol = 'openai' | 'anthropic' | 'gemini' | 'responses';
const PROTOCOLS: readonly Protocol[] = ['openai', 'anthropic', 'gemini', 'responses'];

function send(protocol: Protocol, text: string): Promise<HttpResult> {
  const { stack } = ctx;
  if (protocol === 'openai') return chat(stack, openaiBody('gpt-overload', text));
  if (protocol === 'anthropic') return messages(stack, anthropicBody('claude-overload', text));
  if (protocol === 'responses') return post(stack, '/v1/responses', { model: 'gpt-overload', input: text, store: false }, { bearer: stack.demoKey });
  return post(stack, '/v1beta/models/gemini-overload:generateContent', { contents: [{ role: 'user', parts: [{ text }] }] }, 'none', {
    'x-goog-api-key': stack.demoKey,
  });
}

/** The error's message where each protocol puts it, checking the shape on the way. */
function shedMessage(protocol: Protocol, json: unknown): string {
  if (protocol === 'anthropic') {
    const body = json as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('overloaded_error');
    return body.error.message;
  }
  if (protocol === 'gemini') {
    const body = json as { error: { code: number; status: string; message: string } };
    expect(body.error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
    return body.error.message;
  }
  const body = json as { error: { type: string; message: string } };
  expect(body.error.type).toBe('server_error');
  return body.error.message;
}

async function ingressRssMb(): Promise<number> {
  const pid = ctx.stack.service('ingress').pid;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

describe('a burst past MAX_IN_FLIGHT', () => {
  it('answers or sheds fast every request, in its own protocol, with bounded memory', async () => {
    const timed = async (i: number) => {
      const protocol = PROTOCOLS[i % PROTOCOLS.length]!;
      const started = performance.now();
      const response = await send(protocol, `burst ${i} [emu delay_ms=500]`);
      return { protocol, response, ms: performance.now() - started };
    };
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => timed(i)));
    const answered = results.filter((r) => r.response.status === 200);
    const shed = results.filter((r) => r.response.status === 503);
    expect(answered.length + shed.length, JSON.stringify(results.map((r) => r.response.status))).toBe(results.length);
    // At least the slots and the queue were served; most of the burst was shed.
    expect(answered.length).toBeGreaterThanOrEqual(8);
    expect(shed.length).toBeGreaterThan(100);
    for (const { protocol, response, ms } of shed) {
      expect(response.headers.get('retry-after')).toBe('1');
      expect(shedMessage(protocol, response.json)).toMatch(/overloaded/);
      // Shed at once or after the longest queue wait, never after an upstream call (generous margin for CI).
      expect(ms).toBeLessThan(MAX_QUEUE_MS + 3_000);
    }
    expect(new Set(shed.map((r) => r.protocol))).toEqual(new Set(PROTOCOLS));
    expect(await ingressRssMb()).toBeLessThan(250);

    // Shed requests are logged like any other answer, with their own error class.
    const row = await eventually(() => ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId: shed[0]!.response.requestId } }));
    expect(row).toMatchObject({ statusCode: 503, errorClass: 'overloaded' });

    const metrics = await scrape(ctx.stack);
    const counted = [...metrics.text.matchAll(/^aigw_ingress_shed_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(counted).toBe(shed.length);
    expect(metrics.text).toMatch(/^aigw_ingress_in_flight\{[^}]*\} 0$/m);
  });

  it('holds a stream\'s slot to its end, and never sheds health or metrics', async () => {
    // Eight streams of 10 chunks 300 ms apart take every slot for about 3 s.
    const streams = Array.from({ length: 8 }, (_, i) =>
      chat(ctx.stack, openaiBody('gpt-overload-stream', `stream ${i} [emu chunks=10 chunk_delay_ms=300]`, { stream: true })),
    );
    await eventually(async () => {
      const metrics = await scrape(ctx.stack);
      expect(metrics.text).toMatch(/^aigw_ingress_in_flight\{[^}]*\} 8$/m);
    });
    const waited = await chat(ctx.stack, openaiBody('gpt-overload', 'one more'));
    expect(waited.status).toBe(503);
    expect(waited.headers.get('retry-after')).toBe('1');
    expect((await get(ctx.stack, '/healthz')).status).toBe(200);
    expect((await get(ctx.stack, '/readyz')).status).toBe(200);
    const metrics = await scrape(ctx.stack);
    expect(metrics.text).toMatch(/^aigw_ingress_shed_total\{reason="queue_timeout"[^}]*\} [1-9]/m);
    for (const stream of await Promise.all(streams)) {
      expect(stream.status).toBe(200);
      expect(stream.text).toContain('[DONE]');
    }
    // Slots given back: the next request is served.
    expect((await chat(ctx.stack, openaiBody('gpt-overload', 'after the streams'))).status).toBe(200);
  });
});
