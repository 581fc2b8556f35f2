import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { createLogger } from '@aigw/logger';
import {
  SelectorServiceClient,
  SelectorServiceService,
  type SelectorMuxRequest,
  type SelectorMuxResponse,
  type SelectorServiceServer,
} from '@aigw/proto';
import { createClient, MuxClient, muxService, startGrpcServer, unary, type CallContext, type GrpcServer, type MuxClientOptions } from '../src/index.js';

const logger = createLogger({ service: 'mux-test', level: 'silent' });
const SERVICE = 'aigw.selector.v1.SelectorService';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const account = (id: number, label = 'a') => ({ id, providerId: 1, providerName: 'p', providerKind: 'openai', label, baseUrl: '', proxyId: 0, authType: 'api_key', settingsJson: '', providerWire: '', poolEgress: false });

/** A selector whose `model` steers the handler: "slow:<ms>", "fail", "crash", "wait" (until aborted). */
function fakeSelector(name: string, seen: { aborted: number; contexts: CallContext[]; batches: number }) {
  const select = async (request: { providerId: number; model: string }, ctx: CallContext) => {
    seen.contexts.push(ctx);
    const [kind, arg] = request.model.split(':');
    if (kind === 'slow') await sleep(Number(arg));
    if (kind === 'fail') throw new AppError('ACCOUNTS_EXHAUSTED', 'all cooling down', { retryAfterMs: 1234 });
    if (kind === 'crash') throw new Error('secret=hunter2');
    if (kind === 'wait') {
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      seen.aborted += 1;
      throw new AppError('CANCELLED', 'gone');
    }
    return { account: account(request.providerId, name), affinity: 0 };
  };
  const mux = muxService<SelectorMuxRequest, SelectorMuxResponse>(logger, 'Mux', {
    select,
    report: async (request) => ({ cooldownMs: request.statusCode }),
  });
  const implementation: SelectorServiceServer = {
    selectAccount: unary(logger, 'SelectAccount', (request, ctx) => select(request, ctx)),
    reportOutcome: unary(logger, 'ReportOutcome', async () => ({ cooldownMs: 0 })),
    mux: (call) => {
      call.on('data', () => (seen.batches += 1));
      mux.handler(call);
    },
  };
  return { name: SERVICE, definition: SelectorServiceService, implementation, drain: mux.drain };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(address = '127.0.0.1:0', name = 'one') {
  const seen = { aborted: 0, contexts: [] as CallContext[], batches: 0 };
  const server = await startGrpcServer(address, [fakeSelector(name, seen)], logger);
  return { server, seen };
}

function connect(target: string, options: Partial<MuxClientOptions<SelectorMuxRequest, SelectorMuxResponse>> = {}) {
  const client = createClient(SelectorServiceClient, target, SERVICE);
  const mux = new MuxClient<SelectorMuxRequest, SelectorMuxResponse>({ label: 'selector', open: () => client.mux(), backoffMinMs: 10, backoffMaxMs: 50, ...options });
  cleanups.push(() => {
    mux.close();
    client.close();
  });
  return { client, mux };
}

const select = (mux: MuxClient<SelectorMuxRequest, SelectorMuxResponse>, model: string, deadlineMs = 2000, signal?: AbortSignal) =>
  mux.call({ select: { providerId: 7, model, excludeAccountIds: [], affinityKey: '' } }, Date.now() + deadlineMs, signal ? { signal } : {});

describe('MuxClient and muxService', () => {
  it('answers many concurrent calls, each with its own result, in any order', async () => {
    const { server } = await serve();
    cleanups.push(() => server.shutdown(500));
    const { mux } = connect(`127.0.0.1:${server.port}`);
    const calls = Array.from({ length: 500 }, (_, i) =>
      mux.call({ select: { providerId: i + 1, model: `slow:${i % 7}`, excludeAccountIds: [], affinityKey: '' } }, Date.now() + 5000),
    );
    const reports = Array.from({ length: 50 }, (_, i) => mux.call({ report: { accountId: 1, model: 'm', statusCode: i, retryAfterMs: 0, retryAfterSource: '', resetAtS: 0, message: '' } }, Date.now() + 5000));
    expect((await Promise.all(calls)).map((r) => r.select?.account?.id)).toEqual(calls.map((_, i) => i + 1));
    expect((await Promise.all(reports)).map((r) => r.report?.cooldownMs)).toEqual(reports.map((_, i) => i));
    expect(mux.inFlight).toBe(0);
  });

  it('sends the calls made in one turn together in one gRPC message, and their answers likewise', async () => {
    const { server, seen } = await serve();
    cleanups.push(() => server.shutdown(500));
    const client = createClient(SelectorServiceClient, `127.0.0.1:${server.port}`, SERVICE);
    let answers = 0;
    const open = () => {
      const stream = client.mux();
      stream.on('data', () => (answers += 1));
      return stream;
    };
    const { mux } = connect(`127.0.0.1:${server.port}`, { open, streams: 1 });
    cleanups.push(() => client.close());
    await select(mux, 'm');
    const before = { batches: seen.batches, answers };
    const calls = Array.from({ length: 100 }, (_, i) => mux.call({ select: { providerId: i + 1, model: 'm', excludeAccountIds: [], affinityKey: '' } }, Date.now() + 5000));
    expect((await Promise.all(calls)).map((r) => r.select?.account?.id)).toEqual(calls.map((_, i) => i + 1));
    expect(seen.batches - before.batches).toBe(1);
    expect(answers - before.answers).toBeLessThanOrEqual(2);
  });

  it('carries AppError code, message and retry hint, and hides unexpected errors', async () => {
    const { server } = await serve();
    cleanups.push(() => server.shutdown(500));
    const { mux } = connect(`127.0.0.1:${server.port}`);
    await expect(select(mux, 'fail')).rejects.toMatchObject({ code: 'ACCOUNTS_EXHAUSTED', message: 'all cooling down', retryAfterMs: 1234 });
    const crash = (await select(mux, 'crash').catch((e: unknown) => e)) as AppError;
    expect(crash.code).toBe('INTERNAL');
    expect(crash.message).not.toContain('hunter2');
  });

  it('passes the deadline to the handler, fails late calls with DEADLINE_EXCEEDED and aborts them on the server', async () => {
    const { server, seen } = await serve();
    cleanups.push(() => server.shutdown(500));
    const { mux } = connect(`127.0.0.1:${server.port}`);
    const deadline = Date.now() + 2000;
    await mux.call({ select: { providerId: 1, model: 'm', excludeAccountIds: [], affinityKey: '' } }, deadline);
    expect(Math.abs((seen.contexts[0]?.deadline ?? 0) - deadline)).toBeLessThan(50);

    const started = Date.now();
    await expect(select(mux, 'wait', 100)).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(() => seen.aborted).toBe(1);
  });

  it('cancels a call when its signal aborts, on the client and on the server', async () => {
    const { server, seen } = await serve();
    cleanups.push(() => server.shutdown(500));
    const { mux } = connect(`127.0.0.1:${server.port}`);
    const controller = new AbortController();
    const call = select(mux, 'wait', 5000, controller.signal);
    await expect.poll(() => seen.contexts.length).toBe(1);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect.poll(() => seen.aborted).toBe(1);
    await expect(select(mux, 'm', 5000, controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('fails calls pending on a broken stream with UNAVAILABLE and reconnects when the backend is back', async () => {
    const first = await serve();
    const port = first.server.port;
    const errors: AppError[] = [];
    const { mux } = connect(`127.0.0.1:${port}`, { onStreamError: (e) => errors.push(e) });
    await select(mux, 'm');
    const pending = select(mux, 'slow:2000', 5000);
    await expect.poll(() => first.seen.contexts.length).toBe(2);
    first.server.server.forceShutdown();
    await expect(pending).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(errors.length).toBeGreaterThan(0);
    await expect(select(mux, 'm')).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    const second = await serve(`127.0.0.1:${port}`, 'two');
    cleanups.push(() => second.server.shutdown(500));
    await expect.poll(async () => (await select(mux, 'm').catch(() => undefined))?.select?.account?.label, { timeout: 5000 }).toBe('two');
  });

  it('lets a shutting-down server finish the calls in flight, then end its streams without waiting for the grace period', async () => {
    const { server } = await serve();
    const { mux } = connect(`127.0.0.1:${server.port}`);
    await select(mux, 'm');
    const inFlight = select(mux, 'slow:200', 5000);
    await sleep(20);
    const started = Date.now();
    await server.shutdown(10_000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await inFlight).select?.account?.label).toBe('one');
  });

  it('spreads its streams over every replica and sends idempotent calls again when a stream breaks', async () => {
    const a = await serve('127.0.0.1:0', 'a');
    const b = await serve('127.0.0.1:0', 'b');
    cleanups.push(() => b.server.shutdown(500));
    // Streams opened before the channel is ready all land on the first replica that is; replacing them evens that out.
    const { mux } = connect(`ipv4:127.0.0.1:${a.server.port},127.0.0.1:${b.server.port}`, { streams: 4, maxStreamAgeMs: 50 });
    await select(mux, 'm');
    await sleep(100);
    const labels: string[] = [];
    for (let i = 0; i < 40; i++) labels.push((await select(mux, 'm')).select?.account?.label ?? '');
    expect(labels.filter((l) => l === 'a').length).toBeGreaterThan(5);
    expect(labels.filter((l) => l === 'b').length).toBeGreaterThan(5);

    const slow = Array.from({ length: 8 }, () =>
      mux.call({ select: { providerId: 1, model: 'slow:300', excludeAccountIds: [], affinityKey: '' } }, Date.now() + 5000, { idempotent: true }),
    );
    await sleep(50);
    a.server.server.forceShutdown();
    expect((await Promise.all(slow)).map((r) => r.select?.account?.label)).toEqual(Array(8).fill('b'));
  });

  it('replaces streams older than their maximum age without failing calls', async () => {
    const { server } = await serve();
    cleanups.push(() => server.shutdown(500));
    const { mux } = connect(`127.0.0.1:${server.port}`, { streams: 2, maxStreamAgeMs: 30 });
    for (let i = 0; i < 20; i++) {
      await Promise.all([select(mux, 'slow:5'), select(mux, 'm')]);
      await sleep(10);
    }
    expect(mux.inFlight).toBe(0);
  });
});
