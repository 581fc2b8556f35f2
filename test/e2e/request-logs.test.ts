import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { anthropicBody, chat, messages, openaiBody, type HttpResult } from './support/http.js';
import { findLeaks, knownSecrets } from './support/secrets.js';

// DESIGN §1 step 6 and §4 logging: one RequestLogEvent per client request, delivered at least once through
// JetStream and written exactly once (idempotent on the request id), nothing lost when the logging service
// dies mid-run; the daily proxy rollups agree with the requests that went through each proxy.

interface Sent {
  requestId: string;
  status: number;
  model: string;
  stream: boolean;
  /** Proxy the request should have used: antigravity accounts sit on proxy-1, openai/glm on proxy-2. */
  proxy: 'proxy-1' | 'proxy-2' | undefined;
}

let ctx: E2eContext;
const sent: Sent[] = [];

/** The request mix, by position: both client protocols, streaming and not, three providers, and 404s. */
async function sendOne(i: number): Promise<void> {
  const kind = i % 6;
  let response: HttpResult;
  let model: string;
  let stream = false;
  if (kind === 0) response = await chat(ctx.stack, openaiBody((model = 'claude-sonnet-4-5'), `log ${i}`));
  else if (kind === 1) response = await messages(ctx.stack, anthropicBody((model = 'gemini-2.5-pro'), `log ${i}`));
  else if (kind === 2) response = await chat(ctx.stack, openaiBody((model = 'gpt-4o-mini'), `log ${i}`));
  else if (kind === 3) response = await chat(ctx.stack, openaiBody((model = 'glm-4.6'), `log ${i}`, { stream: (stream = true) }));
  else if (kind === 4) response = await messages(ctx.stack, anthropicBody((model = 'claude-haiku-4-5'), `log ${i}`, { stream: (stream = true) }));
  else response = await chat(ctx.stack, openaiBody((model = 'no-such-model-e2e'), `log ${i}`));
  const expectedStatus = kind === 5 ? 404 : 200;
  expect(response.status, response.text).toBe(expectedStatus);
  expect(response.requestId).not.toBe('');
  const proxy = kind === 5 ? undefined : kind === 2 || kind === 3 ? 'proxy-2' : 'proxy-1';
  sent.push({ requestId: response.requestId, status: response.status, model, stream, proxy });
}

/** Runs `count` requests, `concurrency` at a time, calling `at(n)` once n requests have been answered. */
async function traffic(count: number, concurrency: number, milestones: Map<number, () => Promise<void>>): Promise<void> {
  let next = 0;
  let answered = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await sendOne(i);
      answered += 1;
      const milestone = milestones.get(answered);
      if (milestone) {
        milestones.delete(answered);
        await milestone();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe('request logs: every answered request exactly once, even across a logging crash', () => {
  beforeAll(async () => {
    // Events the killed consumer had pulled but not acked come back after the ack wait: 5 s instead of
    // the default 30 s keeps the run short and still goes through JetStream's redelivery.
    ctx = await startE2eStack('request_logs', { env: { logging: { ACK_WAIT_MS: '5000' } } });
  });

  afterAll(async () => {
    await ctx?.teardown();
  });

  it('writes every request once, with the status the client got, when logging is SIGKILLed and restarted mid-run', async () => {
    const logging = ctx.stack.service('logging');
    const firstPid = logging.pid;
    // Kill while traffic flows (other workers keep sending), bring it back while traffic still flows.
    await traffic(
      150,
      6,
      new Map([
        [50, () => logging.kill('SIGKILL')],
        [100, () => logging.restart()],
      ]),
    );
    expect(logging.running).toBe(true);
    expect(logging.pid).not.toBe(firstPid);
    expect(sent).toHaveLength(150);
    expect(new Set(sent.map((s) => s.requestId)).size).toBe(150);

    const rows = await eventually(
      async () => {
        const found = await ctx.prisma.requestLog.findMany();
        expect(found.length).toBeGreaterThanOrEqual(sent.length);
        return found;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    // Exactly the requests sent: none missing, none twice, nothing else.
    expect(rows.map((r) => r.requestId).sort()).toEqual(sent.map((s) => s.requestId).sort());
    const byId = new Map(rows.map((row) => [row.requestId, row]));
    for (const request of sent) {
      const row = byId.get(request.requestId);
      expect({ status: row?.statusCode, model: row?.model, stream: row?.isStream }, request.requestId).toEqual({
        status: request.status,
        model: request.model,
        stream: request.stream,
      });
    }
  });

  it('proxy_stats agree with the requests that went through each proxy', async () => {
    const proxies = await ctx.prisma.proxy.findMany({ orderBy: { id: 'asc' } });
    const proxyIdByName = new Map(proxies.map((p) => [p.label, p.id]));
    const upstream = ctx.stack.emulators.upstream.requests();
    for (const proxy of ctx.stack.emulators.proxies) {
      const proxyId = proxyIdByName.get(proxy.name);
      expect(proxyId, proxy.name).toBeDefined();
      const expected = sent.filter((s) => s.proxy === proxy.name).length;
      expect(expected).toBeGreaterThan(0);
      // What really went through the proxy, as the upstream and the proxy saw it…
      expect(upstream.filter((r) => r.viaProxy === proxy.name)).toHaveLength(expected);
      expect(proxy.stats().requests).toBe(expected);
      // …is what request_logs and the daily rollups say.
      expect(await ctx.prisma.requestLog.count({ where: { proxyId } })).toBe(expected);
      const stats = await ctx.prisma.proxyStat.findMany({ where: { proxyId } });
      const total = stats.reduce((sum, s) => ({ requests: sum.requests + s.requests, successes: sum.successes + s.successes, failures: sum.failures + s.failures }), {
        requests: 0,
        successes: 0,
        failures: 0,
      });
      expect(total, proxy.name).toEqual({ requests: expected, successes: expected, failures: 0 });
    }
  });

  it('no credential appears in any log line of any service', async () => {
    const secrets = await knownSecrets(ctx);
    expect(findLeaks(ctx.stack.logs(), secrets)).toEqual([]);
  });

  it('logs a stream whose client went away mid-stream as client_cancelled, when it went, not when the upstream would have ended', async () => {
    const controller = new AbortController();
    const started = Date.now();
    // 100 chunks 100 ms apart: 10 s if the upstream call were left running.
    const response = await fetch(`${ctx.stack.ingressUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.stack.demoKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(openaiBody('gpt-4o-mini', 'long story [emu chunks=100 chunk_delay_ms=100]', { stream: true })),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id') ?? '';
    const reader = response.body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    controller.abort();
    const row = await eventually(() => ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId } }));
    expect({ status: row.statusCode, stream: row.isStream, errorClass: row.errorClass }).toEqual({ status: 200, stream: true, errorClass: 'client_cancelled' });
    expect(row.latencyMs).toBeLessThan(5_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
