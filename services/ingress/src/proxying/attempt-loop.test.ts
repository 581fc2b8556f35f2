import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { AffinityOutcome } from '@aigw/proto';
import { account, errorResponse, fakeBackends, okResponse, type FakeBackendOptions } from '../../test/support/fake-backends.js';
import { silentLogger } from '../../test/support/fake-deps.js';
import type { ResolvedRoute } from '../routing/route-table.js';
import { AttemptLoop } from './attempt-loop.js';
import { SSE_FRAMING } from '@aigw/formats';
import { newTrace, type ProxyRequest, type StreamSink } from './backends.js';
import { CredentialCache } from './credential-cache.js';
import { SuccessReportThrottle } from './success-report-throttle.js';

const route = (extra: Partial<ResolvedRoute> = {}): ResolvedRoute => ({
  routeId: 1,
  providerId: 1,
  providerName: 'p1',
  model: 'gpt-4o',
  upstreamModel: 'gpt-4o',
  fallbackModel: null,
  sessionAffinity: true,
  ...extra,
});

function setup(options: FakeBackendOptions & { fallback?: ResolvedRoute; maxAttempts?: number } = {}) {
  const fake = fakeBackends(options);
  const loop = new AttemptLoop({
    backends: fake.backends,
    credentials: new CredentialCache((id, d) => fake.backends.getCredential(id, d), { maxAgeMs: 60_000 }),
    resolveFallback: (model) => (options.fallback?.model === model ? options.fallback : undefined),
    maxAttempts: options.maxAttempts ?? 3,
    selectorTimeoutMs: 1_000,
    authTimeoutMs: 1_000,
    logger: silentLogger,
  });
  return { ...fake, loop };
}

function proxyRequest(extra: Partial<ProxyRequest> = {}): ProxyRequest {
  return {
    requestId: 'r1',
    protocol: 'openai',
    body: Buffer.from('{}'),
    route: route(),
    stream: false,
    framing: 'sse',
    deadline: Date.now() + 10_000,
    signal: new AbortController().signal,
    clientHeaders: [],
    ...extra,
  };
}

function recordingSink() {
  const sink = { begun: 0, chunks: [] as string[], ended: false, open: true };
  const impl: StreamSink = {
    begin: () => void (sink.begun += 1),
    write: async (chunk) => {
      sink.chunks.push(chunk.toString());
      return sink.open;
    },
    writeEvent: async (event) => {
      sink.chunks.push(SSE_FRAMING.event(event, 1));
      return sink.open;
    },
    end: () => void (sink.ended = true),
  };
  return { sink, impl };
}

describe('AttemptLoop (unary)', () => {
  it('fails over on 429 and 5xx to untried accounts and reports every outcome', async () => {
    const { loop, calls } = setup({ invoke: (_r, n) => (n === 1 ? errorResponse(429, 2_000) : n === 2 ? errorResponse(502) : okResponse()) });
    const trace = newTrace();
    const outcome = await loop.run(proxyRequest(), trace);
    expect(outcome).toMatchObject({ kind: 'response', status: 200 });
    expect(calls.select.map((s) => s.exclude)).toEqual([[], [11], [11, 12]]);
    expect(calls.outcomes.map((o) => [o.accountId, o.status, o.retryAfterMs])).toEqual([
      [11, 429, 2_000],
      [12, 502, 0],
      [13, 200, 0],
    ]);
    expect(trace).toMatchObject({ accountId: 13, attempts: 3, usage: { inputTokens: 3, outputTokens: 5 } });
  });

  it('sends the conversation\'s affinity key on every selection of a route with affinity on, and logs the last outcome', async () => {
    const { loop, calls } = setup({ invoke: (_r, n) => (n === 1 ? errorResponse(429) : okResponse()) });
    let derived = 0;
    const affinityKey = () => {
      derived += 1;
      return '7:session:abc';
    };
    const trace = newTrace();
    await loop.run(proxyRequest({ affinityKey }), trace);
    expect(calls.select.map((s) => [s.exclude, s.affinityKey])).toEqual([
      [[], '7:session:abc'],
      [[11], '7:session:abc'],
    ]);
    expect(derived).toBe(1);
    // The failover moved the conversation: the log shows the rebinding of the account that answered.
    expect(trace).toMatchObject({ accountId: 12, affinity: AffinityOutcome.AFFINITY_OUTCOME_REBOUND });
  });

  it('sends no affinity key where the route turned affinity off, and never derives one', async () => {
    const { loop, calls } = setup();
    const affinityKey = () => {
      throw new Error('must not be derived');
    };
    const trace = newTrace();
    await loop.run(proxyRequest({ route: route({ sessionAffinity: false }), affinityKey }), trace);
    expect(calls.select.map((s) => s.affinityKey)).toEqual(['']);
    expect(trace.affinity).toBe(AffinityOutcome.AFFINITY_OUTCOME_NONE);
  });

  it('returns a non-retryable upstream error at once', async () => {
    const { loop, calls } = setup({ invoke: () => errorResponse(400) });
    expect(await loop.run(proxyRequest(), newTrace())).toMatchObject({ kind: 'response', status: 400 });
    expect(calls.invokes).toHaveLength(1);
  });

  it('after an upstream 401 refreshes the credential once, then moves on', async () => {
    const { loop, calls } = setup({ invoke: (_r, n) => (n <= 2 ? errorResponse(401) : okResponse()) });
    const trace = newTrace();
    await loop.run(proxyRequest(), trace);
    expect(calls.invalidated).toEqual([11]);
    expect(calls.invokes.map((r) => [r.account!.id, r.credential!.headerValue])).toEqual([
      [11, 'Bearer k-11-1'],
      [11, 'Bearer k-11-2'],
      [12, 'Bearer k-12-3'],
    ]);
    expect(trace.attempts).toBe(3);
  });

  it('turns credentials rejected by every account into a 502, not a 401 the client would blame on its key', async () => {
    const { loop } = setup({ invoke: () => errorResponse(401), maxAttempts: 2 });
    await expect(loop.run(proxyRequest(), newTrace())).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('retries when provider-call is unavailable without cooling the account down', async () => {
    const { loop, calls } = setup({
      invoke: (_r, n) => {
        if (n === 1) throw new AppError('UNAVAILABLE', 'provider-call down');
        if (n === 2) throw new AppError('UPSTREAM_UNREACHABLE', 'connect refused');
        return okResponse();
      },
    });
    await loop.run(proxyRequest(), newTrace());
    expect(calls.outcomes.map((o) => [o.accountId, o.status])).toEqual([
      [12, 0],
      [13, 200],
    ]);
  });

  it('neither retries nor cools down an account whose call reached a time limit, a deadline or a client that left', async () => {
    for (const error of [
      new AppError('UPSTREAM_TIMEOUT', "the upstream did not finish its answer within the gateway's limit for a call (3 s)"),
      new AppError('DEADLINE_EXCEEDED', 'provider-call did not answer in time'),
      new AppError('CANCELLED', 'call to provider-call cancelled'),
    ]) {
      const { loop, calls } = setup({
        invoke: () => {
          throw error;
        },
      });
      await expect(loop.run(proxyRequest(), newTrace())).rejects.toBe(error);
      expect(calls.invokes).toHaveLength(1);
      expect(calls.outcomes).toEqual([]);
    }
  });

  it('answers ACCOUNTS_EXHAUSTED with a retry hint when selector has nothing at all', async () => {
    const { loop } = setup({ accounts: {}, exhaustedError: () => new AppError('ACCOUNTS_EXHAUSTED', 'all cooling down') });
    await expect(loop.run(proxyRequest(), newTrace())).rejects.toMatchObject({ code: 'ACCOUNTS_EXHAUSTED', retryAfterMs: 1_000 });
  });

  it('returns the last upstream error when selector runs out of accounts mid-way', async () => {
    const { loop } = setup({ accounts: { 1: [account(11)] }, invoke: () => errorResponse(503, 5_000) });
    expect(await loop.run(proxyRequest(), newTrace())).toMatchObject({ kind: 'response', status: 503, retryAfterMs: 5_000 });
  });

  it('tries the fallback route once when the primary route is exhausted', async () => {
    const fallback = route({ routeId: 2, providerId: 2, model: 'backup', upstreamModel: 'backup-up' });
    const { loop, calls } = setup({
      accounts: { 1: [account(11)], 2: [account(21, 2)] },
      invoke: (request) => (request.account!.providerId === 1 ? errorResponse(500) : okResponse()),
      fallback,
    });
    const trace = newTrace();
    const outcome = await loop.run(proxyRequest({ route: route({ fallbackModel: 'backup' }) }), trace);
    expect(outcome).toMatchObject({ status: 200 });
    expect(calls.invokes.map((r) => r.upstreamModel)).toEqual(['gpt-4o', 'backup-up']);
    expect(trace).toMatchObject({ providerId: 2, upstreamModel: 'backup-up', accountId: 21 });
  });

  it('keeps the primary route’s error when the fallback has no accounts', async () => {
    const fallback = route({ providerId: 2, model: 'backup' });
    const { loop } = setup({ accounts: { 1: [account(11)] }, invoke: () => errorResponse(529), fallback });
    expect(await loop.run(proxyRequest({ route: route({ fallbackModel: 'backup' }) }), newTrace())).toMatchObject({ status: 529 });
  });

  it('skips an account whose credential cannot be had', async () => {
    const { loop, calls } = setup({
      credential: (id) => {
        if (id === 11) throw new AppError('UPSTREAM_ERROR', 'refresh token revoked');
        return { headerName: 'authorization', headerValue: 'Bearer ok', expiresAtMs: 0 };
      },
    });
    await loop.run(proxyRequest(), newTrace());
    expect(calls.invokes.map((r) => r.account!.id)).toEqual([12]);
  });

  it('stops at the deadline with what it has', async () => {
    const { loop, calls } = setup({ invoke: () => errorResponse(503) });
    const request = proxyRequest({ deadline: Date.now() - 1 });
    await expect(loop.run(request, newTrace())).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(calls.invokes).toHaveLength(0);
  });
});

describe('AttemptLoop (streaming)', () => {
  it('fails over while nothing was sent, then streams from the next account', async () => {
    const { loop, calls } = setup({
      stream: (_r, n) =>
        n === 1
          ? [
              { start: { status: 429, proxyId: 0, upstreamLatencyMs: 1, droppedFields: [] } },
              { error: { status: 429, retryAfterMs: 1_000, body: Buffer.from('{}'), errorClass: 'upstream_429' } },
            ]
          : [
              { start: { status: 200, proxyId: 5, upstreamLatencyMs: 1, droppedFields: ['seed'] } },
              { data: Buffer.from('data: a\n\n') },
              { usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0 } },
            ],
    });
    const { sink, impl } = recordingSink();
    const trace = newTrace();
    const outcome = await loop.run(proxyRequest({ stream: true }), trace, impl);
    expect(outcome).toEqual({ kind: 'streamed', status: 200 });
    expect(sink).toMatchObject({ begun: 1, chunks: ['data: a\n\n'], ended: true });
    expect(calls.outcomes.map((o) => o.status)).toEqual([429, 200]);
    expect(trace).toMatchObject({ proxyId: 5, droppedFields: ['seed'], usage: { outputTokens: 2 } });
  });

  it('never fails over after the first byte: an upstream break is the client’s to see', async () => {
    const { loop, calls } = setup({
      stream: () => [
        { start: { status: 200, proxyId: 0, upstreamLatencyMs: 1, droppedFields: [] } },
        { data: Buffer.from('data: a\n\n') },
        { data: Buffer.from('data: {"error":{}}\n\n') },
        { error: { status: 0, retryAfterMs: 0, body: Buffer.alloc(0), errorClass: 'upstream_reset' } },
      ],
    });
    const { sink, impl } = recordingSink();
    const trace = newTrace();
    await loop.run(proxyRequest({ stream: true }), trace, impl);
    expect(calls.invokes).toHaveLength(1);
    expect(sink.chunks).toEqual(['data: a\n\n', 'data: {"error":{}}\n\n']);
    expect(trace.errorClass).toBe('upstream_reset');
  });

  it('writes the protocol error event itself when the gRPC stream dies mid-way', async () => {
    const { loop } = setup({
      stream: () => [
        { start: { status: 200, proxyId: 0, upstreamLatencyMs: 1, droppedFields: [] } },
        { data: Buffer.from('data: a\n\n') },
        { throw: new AppError('UNAVAILABLE', 'gone') },
      ],
    });
    const { sink, impl } = recordingSink();
    await loop.run(proxyRequest({ stream: true }), newTrace(), impl);
    expect(sink.chunks[1]).toMatch(/^data: \{"error":\{"message":"upstream stream broke off"/);
    expect(sink.ended).toBe(true);
  });

  it("ends a stream that reached the gateway's time limit for a stream with an error event naming it", async () => {
    const { loop, calls } = setup({
      stream: () => [
        { start: { status: 200, proxyId: 0, upstreamLatencyMs: 1, droppedFields: [] } },
        { data: Buffer.from('data: a\n\n') },
        { sleepMs: 30 },
        { throw: new AppError('DEADLINE_EXCEEDED', 'provider-call did not answer in time') },
      ],
    });
    const { sink, impl } = recordingSink();
    const trace = newTrace();
    const outcome = await loop.run(proxyRequest({ stream: true, deadline: Date.now() + 20, timeLimitMs: 3_600_000 }), trace, impl);
    expect(outcome).toEqual({ kind: 'streamed', status: 200 });
    expect(sink.chunks[1]).toMatch(/^data: \{"error":\{"message":"the stream reached the gateway's time limit for a stream \(3600 s\)"/);
    expect(sink.ended).toBe(true);
    expect(trace.errorClass).toBe('stream_timeout');
    // A success as far as the account is concerned: the stream was answered.
    expect(calls.outcomes.map((o) => o.status)).toEqual([200]);
  });

  it('cancels the stream when the client goes away', async () => {
    const { loop, calls } = setup({
      stream: () => [{ start: { status: 200, proxyId: 0, upstreamLatencyMs: 1, droppedFields: [] } }, { data: Buffer.from('x') }, { waitForCancel: true }],
    });
    const client = new AbortController();
    const { impl } = recordingSink();
    const trace = newTrace();
    const running = loop.run(proxyRequest({ stream: true, signal: client.signal }), trace, impl);
    setImmediate(() => client.abort());
    expect(await running).toEqual({ kind: 'streamed', status: 200 });
    expect(calls.cancelled).toBe(1);
    expect(trace.errorClass).toBe('client_cancelled');
  });
});

describe('AttemptLoop success reports', () => {
  it('reports a success after a failure of the same account at once, and repeats no routine success', async () => {
    const fake = fakeBackends({ accounts: { 1: [account(11)] }, invoke: (_r, n) => (n === 2 ? errorResponse(500) : okResponse()) });
    const loop = new AttemptLoop({
      backends: fake.backends,
      credentials: new CredentialCache((id, d) => fake.backends.getCredential(id, d), { maxAgeMs: 60_000 }),
      resolveFallback: () => undefined,
      maxAttempts: 1,
      selectorTimeoutMs: 1_000,
    authTimeoutMs: 1_000,
      successReports: new SuccessReportThrottle(60_000),
      logger: silentLogger,
    });
    for (let i = 0; i < 5; i += 1) await loop.run(proxyRequest(), newTrace());
    expect(fake.calls.outcomes.map((o) => o.status)).toEqual([200, 500, 200]);
  });
});

describe('AttemptLoop (stalled backends)', () => {
  const stalled = () => new AppError('DEADLINE_EXCEEDED', 'backend call failed: DEADLINE_EXCEEDED');

  function withClock(options: FakeBackendOptions & { authDown?: () => boolean }) {
    let now = Date.now();
    const fake = fakeBackends(options);
    const stale: number[] = [];
    const credentials = new CredentialCache(
      (id, deadline) => {
        if (options.authDown?.()) return Promise.reject(stalled());
        return fake.backends.getCredential(id, deadline);
      },
      { maxAgeMs: 60_000, now: () => now, onStaleServed: () => stale.push(1) },
    );
    const loop = new AttemptLoop({
      backends: fake.backends,
      credentials,
      resolveFallback: () => undefined,
      maxAttempts: 3,
      selectorTimeoutMs: 1_000,
      authTimeoutMs: 1_000,
      logger: silentLogger,
      now: () => now,
    });
    return { ...fake, loop, stale, credentials, advance: (ms: number) => (now += ms), request: () => proxyRequest({ deadline: now + 10_000 }) };
  }

  it('tries the next account when auth stalls past its budget, instead of failing the request', async () => {
    let authDown = true;
    const { loop, calls, request } = withClock({ authDown: () => authDown && calls.select.length === 1 });
    const outcome = await loop.run(request(), newTrace());
    expect(outcome).toMatchObject({ kind: 'response', status: 200 });
    expect(calls.invokes.map((r) => r.account!.id)).toEqual([12]);
    // The stall says nothing about the account: no cooldown report for it.
    expect(calls.outcomes.map((o) => o.accountId)).toEqual([12]);
    authDown = false;
  });

  it('keeps using a cached credential past its cache age while auth does not answer, and counts it', async () => {
    let authDown = false;
    const { loop, calls, stale, advance, request } = withClock({ accounts: { 1: [account(11)] }, authDown: () => authDown });
    await loop.run(request(), newTrace());
    authDown = true;
    advance(5 * 60_000);
    for (let i = 0; i < 3; i++) expect(await loop.run(request(), newTrace())).toMatchObject({ status: 200 });
    expect(calls.invokes.map((r) => r.credential!.headerValue)).toEqual(Array(4).fill('Bearer k-11-1'));
    // The first stale use starts the refresh that fails; the uses after it are counted.
    expect(stale.length).toBeGreaterThanOrEqual(1);
    authDown = false;
  });

  it('fails an account whose only credential has expired once auth is down, and moves on', async () => {
    let authDown = false;
    const { loop, calls, credentials, advance, request } = withClock({
      accounts: { 1: [account(11), account(12)] },
      authDown: () => authDown,
      credential: (id, n) => ({ headerName: 'authorization', headerValue: `Bearer ${id}-${n}`, expiresAtMs: id === 11 ? Date.now() + 6 * 60_000 : 0 }),
    });
    await credentials.get(11, Infinity);
    await credentials.get(12, Infinity);
    authDown = true;
    advance(6 * 60_000); // 11's token has expired; 12's API key has none
    const outcome = await loop.run(request(), newTrace());
    expect(outcome).toMatchObject({ status: 200 });
    expect(calls.invokes.at(-1)!.account!.id).toBe(12);
  });

  it('answers a stalled or unreachable selector with 503 and a retry hint, not a hang or a 500', async () => {
    for (const error of [stalled(), new AppError('UNAVAILABLE', 'selector is unavailable (no open stream)')]) {
      const { loop, calls, request } = withClock({ selectError: () => error });
      await expect(loop.run(request(), newTrace())).rejects.toMatchObject({ code: 'UNAVAILABLE', retryAfterMs: 1_000 });
      expect(calls.select).toHaveLength(1);
    }
  });

  it('keeps an upstream answer it already has when selector stalls on the next attempt', async () => {
    const { loop, request } = withClock({ invoke: () => errorResponse(503, 2_000), selectError: (n) => (n === 2 ? stalled() : undefined) });
    expect(await loop.run(request(), newTrace())).toMatchObject({ kind: 'response', status: 503 });
  });

  it('pauses briefly before the next attempt when provider-call is unavailable, so a restart is a blip', async () => {
    const started = Date.now();
    const { loop } = setup({
      invoke: (_r, n) => {
        if (n < 3) throw new AppError('UNAVAILABLE', 'provider-call restarting');
        return okResponse();
      },
    });
    expect(await loop.run(proxyRequest(), newTrace())).toMatchObject({ status: 200 });
    // 100 ms, then 200 ms (correctness of the pause, not a speed claim: it must not be skipped).
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
