import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { createLogger } from '@aigw/logger';
import {
  ProviderCallServiceClient,
  ProviderCallServiceService,
  type InvokeMuxRequest,
  type InvokeMuxResponse,
  InvokeRequest,
  InvokeResponse,
  type ProviderCallServiceServer,
  type StreamChunk,
} from '@aigw/proto';
import { createClient, MUX_STREAM_WINDOW, MuxClient, muxService, muxStream, startGrpcServer, unary, type CallContext } from '../src/index.js';

// Streamed calls over the multiplexed RPC (provider-call's InvokeMux carries one): chunks in order, flow
// control by credit, errors after the chunks that came before them, cancellation and deadlines reaching
// the handler, and a broken stream failing the reader.

const logger = createLogger({ service: 'mux-stream-test', level: 'silent' });
const SERVICE = 'aigw.providercall.v1.ProviderCallService';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Seen {
  /** Chunks each request id (its requestId) has written so far. */
  written: Map<string, number>;
  aborted: string[];
  contexts: CallContext[];
}

/** The handler reads its orders from requestId: "<name>:<chunks>[:fail|:wait]". */
function fakeProviderCall(seen: Seen) {
  const stream = async (request: InvokeRequest, ctx: CallContext, write: (chunk: StreamChunk) => Promise<void>) => {
    seen.contexts.push(ctx);
    const [name = '', count, then] = request.requestId.split(':');
    for (let i = 0; i < Number(count) && !ctx.signal.aborted; i++) {
      await write({ data: Buffer.from(`${name}-${i}`) });
      seen.written.set(request.requestId, i + 1);
    }
    if (then === 'fail') throw new AppError('UPSTREAM_ERROR', 'upstream broke', { retryAfterMs: 50 });
    if (then === 'wait') {
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      seen.aborted.push(request.requestId);
    }
  };
  const mux = muxService<InvokeMuxRequest, InvokeMuxResponse>(logger, 'InvokeMux', {
    invoke: async () => InvokeResponse.fromPartial({ status: 200, body: Buffer.from('{}') }),
    invokeStream: muxStream(stream),
  });
  const implementation: ProviderCallServiceServer = {
    invoke: unary(logger, 'Invoke', async () => {
      throw new AppError('INTERNAL', 'not used');
    }),
    invokeStream: () => undefined,
    invokeMux: mux.handler,
    countTokens: unary(logger, 'CountTokens', async () => {
      throw new AppError('INTERNAL', 'not used');
    }),
    listModels: unary(logger, 'ListModels', async () => {
      throw new AppError('INTERNAL', 'not used');
    }),
  };
  return { name: SERVICE, definition: ProviderCallServiceService, implementation, drain: mux.drain };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const seen: Seen = { written: new Map(), aborted: [], contexts: [] };
  const server = await startGrpcServer('127.0.0.1:0', [fakeProviderCall(seen)], logger);
  const client = createClient(ProviderCallServiceClient, `127.0.0.1:${server.port}`, SERVICE);
  const mux = new MuxClient<InvokeMuxRequest, InvokeMuxResponse>({ label: 'provider-call', open: () => client.invokeMux(), streams: 2, backoffMinMs: 10 });
  cleanups.push(() => server.shutdown(500));
  cleanups.push(() => {
    mux.close();
    client.close();
  });
  return { server, mux, seen };
}

const order = (requestId: string) =>
  ({ invokeStream: InvokeRequest.fromPartial({ requestId, body: Buffer.alloc(0), upstreamModel: 'm', stream: true }) });

async function readAll(stream: AsyncIterable<InvokeMuxResponse>): Promise<string[]> {
  const texts: string[] = [];
  for await (const message of stream) texts.push(Buffer.from(message.invokeStream?.data ?? []).toString());
  return texts;
}

describe('streamed calls over MuxClient and muxService', () => {
  it('delivers every chunk in order and then ends, for many streams at once on the same shared streams', async () => {
    const { mux } = await setup();
    const streams = Array.from({ length: 40 }, (_, i) => readAll(mux.stream(order(`s${i}:${5 + i}`), Date.now() + 5000)));
    const results = await Promise.all(streams);
    results.forEach((texts, i) => expect(texts).toEqual(Array.from({ length: 5 + i }, (_, k) => `s${i}-${k}`)));
    expect(mux.inFlight).toBe(0);
  });

  it('stops the server after a window of unread chunks and goes on as the reader reads', async () => {
    const { mux, seen } = await setup();
    const total = MUX_STREAM_WINDOW * 4;
    const iterator = mux.stream(order(`slow:${total}`), Date.now() + 10_000)[Symbol.asyncIterator]();
    await expect.poll(() => seen.written.get(`slow:${total}`)).toBe(MUX_STREAM_WINDOW);
    await sleep(100);
    expect(seen.written.get(`slow:${total}`)).toBe(MUX_STREAM_WINDOW);
    let read = 0;
    while (!(await iterator.next()).done) read += 1;
    expect(read).toBe(total);
    expect(seen.written.get(`slow:${total}`)).toBe(total);
  });

  it('hands over the chunks sent before an error, then the error with its code and retry hint', async () => {
    const { mux } = await setup();
    const texts: string[] = [];
    const failure = await (async () => {
      for await (const message of mux.stream(order('e:3:fail'), Date.now() + 5000)) texts.push(Buffer.from(message.invokeStream?.data ?? []).toString());
    })().catch((error: unknown) => error);
    expect(texts).toEqual(['e-0', 'e-1', 'e-2']);
    expect(failure).toMatchObject({ code: 'UPSTREAM_ERROR', message: 'upstream broke', retryAfterMs: 50 });
  });

  it('cancels on the server when the reader cancels or stops reading, also while a write waits for credit', async () => {
    const { mux, seen } = await setup();
    const waiting = mux.stream(order('w:2:wait'), Date.now() + 5000);
    const reading = (async () => {
      for await (const _ of waiting) void _;
    })().catch((error: unknown) => error);
    await expect.poll(() => seen.written.get('w:2:wait')).toBe(2);
    waiting.cancel();
    expect(await reading).toMatchObject({ code: 'CANCELLED' });
    await expect.poll(() => seen.aborted).toContain('w:2:wait');

    // A reader that breaks off while the server waits for credit frees the server's write.
    const blocked = `b:${MUX_STREAM_WINDOW * 3}`;
    for await (const _ of mux.stream(order(blocked), Date.now() + 5000)) break;
    await expect.poll(() => seen.contexts.at(-1)?.signal.aborted).toBe(true);
    expect(seen.written.get(blocked)).toBeLessThanOrEqual(MUX_STREAM_WINDOW + 1);
    expect(mux.inFlight).toBe(0);
  });

  it('passes the deadline to the handler and fails a stream that outlives it with DEADLINE_EXCEEDED', async () => {
    const { mux, seen } = await setup();
    const deadline = Date.now() + 150;
    const result = await readAll(mux.stream(order('d:1:wait'), deadline)).catch((error: unknown) => error);
    expect(result).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(Math.abs((seen.contexts[0]?.deadline ?? 0) - deadline)).toBeLessThan(50);
    await expect.poll(() => seen.aborted).toContain('d:1:wait');
  });

  it('fails a stream whose shared stream breaks with UNAVAILABLE, after the chunks that came', async () => {
    const { mux, seen, server } = await setup();
    const texts: string[] = [];
    const reading = (async () => {
      for await (const message of mux.stream(order('k:2:wait'), Date.now() + 5000)) texts.push(Buffer.from(message.invokeStream?.data ?? []).toString());
    })().catch((error: unknown) => error);
    await expect.poll(() => seen.written.get('k:2:wait')).toBe(2);
    server.server.forceShutdown();
    expect(await reading).toMatchObject({ code: 'UNAVAILABLE' });
    expect(texts).toEqual(['k-0', 'k-1']);
  });
});
