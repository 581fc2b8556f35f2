import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onConfigChanged, type ConfigChange } from '@aigw/bus';
import { AppError } from '@aigw/errors';
import { ClientFormat, type Account, type StreamChunk } from '@aigw/proto';
import { anthropicStreamAnswer, openAiStreamAnswer } from './client-answers.js';
import { invokeRequest, startTestStack, streamText, type TestStack } from './test-stack.js';

// What clients see when the upstream misbehaves: rate limits with their retry hint, streams that die
// midway, answers that cannot be read, unreachable upstreams and proxies, and callers that leave.

let stack: TestStack;
let misbehaving: MisbehavingUpstream;
beforeAll(async () => {
  stack = await startTestStack();
  misbehaving = await startMisbehavingUpstream();
});
afterAll(async () => {
  await misbehaving?.close();
  await stack?.stop();
});

const OPENAI = ClientFormat.CLIENT_FORMAT_OPENAI;
const ANTHROPIC = ClientFormat.CLIENT_FORMAT_ANTHROPIC;
const openAiBody = (text: string, extra: object = {}) => ({ model: 'gpt', messages: [{ role: 'user', content: text }], ...extra });
const anthropicBody = (text: string, extra: object = {}) => ({ model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: text }], ...extra });

function accounts(stack: TestStack): { openai: Partial<Account>; antigravity: Partial<Account> } {
  return {
    openai: { id: 21, providerKind: 'openai', baseUrl: `${stack.emulator.url}/v1`, proxyId: stack.proxyIds.a },
    antigravity: { id: 22, providerKind: 'antigravity', baseUrl: stack.emulator.url, proxyId: stack.proxyIds.b, settingsJson: '{"project":"p"}' },
  };
}

async function invokeError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('rate limits', () => {
  it('passes 429 with Retry-After on as status and retry_after_ms, in the client protocol', async () => {
    const response = await stack.invoke(
      invokeRequest({ clientFormat: OPENAI, account: accounts(stack).openai, body: openAiBody('hi [emu status=429 retry_after=2]') }),
    );
    expect(response.status).toBe(429);
    expect(response.retryAfterMs).toBe(2000);
    expect(JSON.parse(response.body.toString())).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });

    const translated = await stack.invoke(
      invokeRequest({ clientFormat: ANTHROPIC, account: accounts(stack).antigravity, body: anthropicBody('hi [emu status=429 retry_after=3]') }),
    );
    expect(translated.status).toBe(429);
    expect(translated.retryAfterMs).toBe(3000);
    expect(JSON.parse(translated.body.toString())).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Resource has been exhausted (e.g. check quota).' },
    });

    const muxed = await stack.mux.call(
      { invoke: invokeRequest({ clientFormat: OPENAI, account: accounts(stack).openai, body: openAiBody('hi [emu status=429 retry_after=2]') }) },
      Date.now() + 10_000,
    );
    expect([muxed.invoke?.status, muxed.invoke?.retryAfterMs]).toEqual([429, 2000]);
  });

  it('answers a streamed 429 with start{status} and error{status, retry_after_ms, body} before any data', async () => {
    const chunks = await stack.invokeStream(
      invokeRequest({
        clientFormat: OPENAI,
        account: accounts(stack).antigravity,
        body: openAiBody('hi [emu status=429 retry_after=1]', { stream: true }),
        stream: true,
      }),
    );
    expect(chunks.map((c) => Object.keys(c).find((k) => c[k as keyof typeof c] !== undefined))).toEqual(['start', 'error']);
    expect(chunks[0]?.start?.status).toBe(429);
    expect(chunks[1]?.error).toMatchObject({ status: 429, retryAfterMs: 1000 });
    expect(JSON.parse(chunks[1]?.error?.body.toString() ?? '')).toMatchObject({ error: { type: 'rate_limit_error' } });
  });
});

describe('streams that break', () => {
  const directive = '[emu chunks=12 chunk_delay_ms=5 die_after_bytes=700]';

  it('ends an OpenAI stream with an error event and no [DONE], then error{status:0}', async () => {
    const chunks = await stack.invokeStream(
      invokeRequest({ clientFormat: OPENAI, account: accounts(stack).openai, body: openAiBody(`tell me a long story ${directive}`, { stream: true }), stream: true }),
    );
    const answer = openAiStreamAnswer(streamText(chunks));
    expect(answer.text.length).toBeGreaterThan(0);
    expect(JSON.parse(answer.events.at(-1)?.data ?? '')).toMatchObject({ error: { type: 'server_error' } });
    expect(answer.events.some((e) => e.data === '[DONE]')).toBe(false);
    expect(chunks.at(-1)?.error).toMatchObject({ status: 0, errorClass: 'upstream_stream_broken' });
  });

  it('ends an Anthropic stream translated from antigravity with `event: error`', async () => {
    const chunks = await stack.invokeStream(
      invokeRequest({ clientFormat: ANTHROPIC, account: accounts(stack).antigravity, body: anthropicBody(`tell me a long story ${directive}`, { stream: true }), stream: true }),
    );
    const answer = anthropicStreamAnswer(streamText(chunks));
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.events.at(-1)).toMatchObject({ event: 'error' });
    expect(JSON.parse(answer.events.at(-1)?.data ?? '')).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(answer.events.some((e) => e.event === 'message_stop')).toBe(false);
    expect(chunks.at(-1)?.error).toMatchObject({ status: 0, errorClass: 'upstream_stream_broken' });
  });

  it('sends no data when the stream breaks before its first event, so the caller can fail over', async () => {
    const chunks = await stack.invokeStream(
      invokeRequest({ clientFormat: ANTHROPIC, account: accounts(stack).openai, body: anthropicBody('hi [emu die_after_bytes=20]', { stream: true }), stream: true }),
    );
    expect(chunks.some((c) => c.data)).toBe(false);
    expect(chunks[0]?.start?.status).toBe(200);
    expect(chunks.at(-1)?.error).toMatchObject({ status: 0, errorClass: 'upstream_stream_broken' });
  });
});

describe('unusable answers and upstreams', () => {
  it('turns a 2xx answer that cannot be read into 502 in the client protocol', async () => {
    const response = await stack.invoke(
      invokeRequest({ clientFormat: ANTHROPIC, account: { id: 31, providerKind: 'openai', baseUrl: `${misbehaving.url}/garbage/v1` }, body: anthropicBody('hi') }),
    );
    expect(response.status).toBe(502);
    expect(JSON.parse(response.body.toString())).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('wraps a non-JSON upstream error in the client protocol', async () => {
    const response = await stack.invoke(
      invokeRequest({ clientFormat: OPENAI, account: { id: 32, providerKind: 'openai', baseUrl: `${misbehaving.url}/html-error/v1` }, body: openAiBody('hi') }),
    );
    expect(response.status).toBe(503);
    expect(JSON.parse(response.body.toString())).toEqual({
      error: { message: 'upstream answered with status 503 and an error body in no known error format', type: 'server_error', param: null, code: 'service_unavailable' },
    });
  });

  it('fails with UPSTREAM_UNREACHABLE when the upstream refuses connections, over Invoke and InvokeMux', async () => {
    const request = invokeRequest({ clientFormat: OPENAI, account: { id: 33, providerKind: 'openai', baseUrl: `${misbehaving.closedUrl}/v1` }, body: openAiBody('hi') });
    expect((await invokeError(stack.invoke(request))).code).toBe('UPSTREAM_UNREACHABLE');
    const muxed = await invokeError(stack.mux.call({ invoke: request }, Date.now() + 10_000));
    expect(muxed.code).toBe('UPSTREAM_UNREACHABLE');
    expect(muxed.message).toMatch(/^upstream unreachable/);
  });

  it('fails with UPSTREAM_ERROR when a non-streaming answer breaks off midway', async () => {
    const account = { id: 34, providerKind: 'openai', baseUrl: `${misbehaving.url}/truncated/v1` };
    const error = await invokeError(stack.invoke(invokeRequest({ clientFormat: OPENAI, account, body: openAiBody('hi') })));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toMatch(/^upstream connection broke mid-answer/);
  });

  it('fails with UPSTREAM_UNREACHABLE, not an internal error, when the credential cannot be sent as a header', async () => {
    const request = invokeRequest({ clientFormat: OPENAI, account: { id: 35, providerKind: 'openai', baseUrl: `${stack.emulator.url}/v1` }, body: openAiBody('hi'), token: 'sk-a\r\nx-evil: 1' });
    const error = await invokeError(stack.invoke(request));
    expect(error.code).toBe('UPSTREAM_UNREACHABLE');
    expect(error.message).not.toContain('sk-a');
  });

  it('rejects a body the client must fix with INVALID_REQUEST', async () => {
    const error = await invokeError(
      stack.invoke(invokeRequest({ clientFormat: ANTHROPIC, account: accounts(stack).antigravity, body: { model: 'claude', messages: [{ role: 'user', content: 'hi' }] } })),
    );
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toBe('max_tokens: Field required');
  });
});

describe('cancellation', () => {
  it('aborts the upstream stream when the caller cancels', async () => {
    const account = { id: 41, providerKind: 'openai', baseUrl: `${misbehaving.url}/slow/v1` };
    const upstreamClosed = misbehaving.nextClose();
    const chunks = await stack
      .invokeStream(invokeRequest({ clientFormat: ANTHROPIC, account, body: anthropicBody('hi', { stream: true }), stream: true }), (chunk, cancel) => {
        if (chunk.data) cancel();
      })
      .catch((error: { chunks: unknown[]; code?: number }) => error.chunks);
    expect(chunks.length).toBeGreaterThan(0);
    expect(await upstreamClosed).toBe('closed before the end');
  });

  it('aborts an upstream call made over InvokeMux when the caller cancels it there', async () => {
    const account = { id: 43, providerKind: 'openai', baseUrl: `${misbehaving.url}/hang/v1` };
    const upstreamClosed = misbehaving.nextClose();
    const received = misbehaving.nextRequest();
    const controller = new AbortController();
    const call = stack.mux.call({ invoke: invokeRequest({ clientFormat: OPENAI, account, body: openAiBody('hi') }) }, Date.now() + 30_000, {
      signal: controller.signal,
    });
    await received;
    controller.abort();
    expect((await invokeError(call)).code).toBe('CANCELLED');
    expect(await upstreamClosed).toBe('closed before the end');
  });

  it('aborts the upstream stream of a call streamed over InvokeMux when the caller cancels it there', async () => {
    const account = { id: 44, providerKind: 'openai', baseUrl: `${misbehaving.url}/slow/v1` };
    const upstreamClosed = misbehaving.nextClose();
    const stream = stack.mux.stream(
      { invokeStream: invokeRequest({ clientFormat: ANTHROPIC, account, body: anthropicBody('hi', { stream: true }), stream: true }) },
      Date.now() + 30_000,
    );
    const kinds: string[] = [];
    const ended = (async () => {
      for await (const message of stream) {
        const chunk: StreamChunk = message.invokeStream ?? {};
        kinds.push((['start', 'data', 'usage', 'error'] as const).find((kind) => chunk[kind] !== undefined) ?? '');
        if (message.invokeStream?.data) stream.cancel();
      }
    })().catch((error: unknown) => error);
    expect(await ended).toMatchObject({ code: 'CANCELLED' });
    expect(kinds).toEqual(['start', 'data']);
    expect(await upstreamClosed).toBe('closed before the end');
  });

  it('aborts a non-streaming upstream call when the caller cancels', async () => {
    const account = { id: 42, providerKind: 'openai', baseUrl: `${misbehaving.url}/hang/v1` };
    const upstreamClosed = misbehaving.nextClose();
    const received = misbehaving.nextRequest();
    const call = stack.client.invoke(invokeRequest({ clientFormat: OPENAI, account, body: openAiBody('hi') }), () => undefined);
    await received;
    call.cancel();
    expect(await upstreamClosed).toBe('closed before the end');
  });

  it('aborts a non-streaming upstream call when the call runs out of time', async () => {
    const account = { id: 43, providerKind: 'openai', baseUrl: `${misbehaving.url}/hang/v1` };
    const upstreamClosed = misbehaving.nextClose();
    const error = await invokeError(stack.invoke(invokeRequest({ clientFormat: OPENAI, account, body: openAiBody('hi') }), 400));
    expect(['UPSTREAM_TIMEOUT', 'DEADLINE_EXCEEDED']).toContain(error.code);
    expect(await upstreamClosed).toBe('closed before the end');
  });
});

describe('egress policy', () => {
  it('refuses upstream addresses the policy does not allow, directly and through a proxy, without connecting', async () => {
    for (const baseUrl of ['http://169.254.169.254/v1', 'http://0x0a000001/v1', 'http://[fd00::1]:8080/v1']) {
      const direct = await invokeError(stack.invoke(invokeRequest({ clientFormat: OPENAI, account: { id: 61, providerKind: 'openai', baseUrl }, body: openAiBody('hi') })));
      expect(direct.code, baseUrl).toBe('UPSTREAM_UNREACHABLE');
      expect(direct.message, baseUrl).toMatch(/egress to .* refused: .* is a (link-local|private) address/);
      const proxied = await invokeError(
        stack.invoke(invokeRequest({ clientFormat: OPENAI, account: { id: 62, providerKind: 'openai', baseUrl, proxyId: stack.proxyIds.b }, body: openAiBody('hi') })),
      );
      expect(proxied.code, baseUrl).toBe('UPSTREAM_UNREACHABLE');
      expect(proxied.message, baseUrl).toMatch(/egress refused: .* is a (link-local|private) address/);
    }
  });
});

describe('failing proxies', () => {
  it('counts connect failures, disables the proxy at max_failures, reassigns its accounts and tells the other replicas', async () => {
    const provider = await stack.prisma.provider.create({ data: { name: 'openai-test', kind: 'openai', baseUrl: `${stack.emulator.url}/v1` } });
    const bound = await stack.prisma.account.create({
      data: { providerId: provider.id, label: 'bound', authType: 'api_key', authData: 'x', proxyId: stack.proxyIds.dead },
    });
    const changes: ConfigChange[] = [];
    const subscription = onConfigChanged(stack.nc, stack.names, (change) => changes.push(change));
    const account = { id: bound.id, providerKind: 'openai', baseUrl: `${stack.emulator.url}/v1`, proxyId: stack.proxyIds.dead };

    const first = await invokeError(stack.invoke(invokeRequest({ clientFormat: OPENAI, account, body: openAiBody('hi') })));
    expect(first.code).toBe('UPSTREAM_UNREACHABLE');
    await stack.invoke(invokeRequest({ clientFormat: OPENAI, account, body: openAiBody('hi') })).catch(() => undefined);

    await expect.poll(async () => (await stack.prisma.proxy.findUniqueOrThrow({ where: { id: stack.proxyIds.dead } })).isActive).toBe(false);
    const row = await stack.prisma.proxy.findUniqueOrThrow({ where: { id: stack.proxyIds.dead } });
    expect(row.failureCount).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => (await stack.prisma.account.findUniqueOrThrow({ where: { id: bound.id } })).proxyId).not.toBe(stack.proxyIds.dead);
    await expect.poll(() => changes).toContainEqual({ entity: 'proxy', id: stack.proxyIds.dead });
    expect(Number(await stack.redis.get(`stats:proxy:{${stack.proxyIds.dead}}:failures`))).toBeGreaterThanOrEqual(2);

    const later = await invokeError(stack.invoke(invokeRequest({ clientFormat: OPENAI, account, body: openAiBody('hi') })));
    expect(later.message).toBe(`proxy ${stack.proxyIds.dead} is disabled`);
    subscription.unsubscribe();
  });

  it('counts a SOCKS proxy stored before the admin API refused them as failing, disables it and rebinds its accounts', async () => {
    const provider = await stack.prisma.provider.create({ data: { name: 'openai-socks', kind: 'openai', baseUrl: `${stack.emulator.url}/v1` } });
    const bound = await stack.prisma.account.create({
      data: { providerId: provider.id, label: 'socks-bound', authType: 'api_key', authData: 'x', proxyId: stack.proxyIds.socks },
    });
    const account = { id: bound.id, providerKind: 'openai', baseUrl: `${stack.emulator.url}/v1`, proxyId: stack.proxyIds.socks };
    const first = await invokeError(stack.invoke(invokeRequest({ clientFormat: OPENAI, account, body: openAiBody('hi') })));
    expect(first.code).toBe('UPSTREAM_UNREACHABLE');
    expect(first.message).toBe(`proxy ${stack.proxyIds.socks} cannot be used: proxy scheme socks5 is not supported (http and https are)`);
    await stack.invoke(invokeRequest({ clientFormat: OPENAI, account, body: openAiBody('hi') })).catch(() => undefined);
    await expect.poll(async () => (await stack.prisma.proxy.findUniqueOrThrow({ where: { id: stack.proxyIds.socks } })).isActive).toBe(false);
    await expect.poll(async () => (await stack.prisma.account.findUniqueOrThrow({ where: { id: bound.id } })).proxyId).not.toBe(stack.proxyIds.socks);
  });

  it('never calls directly when the bound proxy is unknown', async () => {
    const error = await invokeError(
      stack.invoke(invokeRequest({ clientFormat: OPENAI, account: { id: 51, providerKind: 'openai', baseUrl: `${stack.emulator.url}/v1`, proxyId: 99_999 }, body: openAiBody('hi') })),
    );
    expect(error.message).toBe('proxy 99999 is not in the proxy pool');
  });
});

interface MisbehavingUpstream {
  url: string;
  /** Base URL of a port nothing listens on. */
  closedUrl: string;
  /** Resolves with how the next request's connection ended. */
  nextClose(): Promise<'closed before the end' | 'finished'>;
  nextRequest(): Promise<void>;
  close(): Promise<void>;
}

/** Upstream behaviours the emulator does not offer: a never-ending stream, a hang, garbage, HTML errors. */
async function startMisbehavingUpstream(): Promise<MisbehavingUpstream> {
  let onClose: ((how: 'closed before the end' | 'finished') => void) | undefined;
  let onRequest: (() => void) | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const watch = (res: ServerResponse) => {
    const report = onClose;
    onClose = undefined;
    res.once('close', () => report?.(res.writableFinished ? 'finished' : 'closed before the end'));
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    onRequest?.();
    onRequest = undefined;
    watch(res);
    if (req.url?.startsWith('/slow/')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const timer = setInterval(() => {
        res.write(`data: ${JSON.stringify({ model: 'slow', choices: [{ index: 0, delta: { content: `w${n++} ` }, finish_reason: null }] })}\n\n`);
        if (n > 10_000) res.end();
      }, 20);
      timers.add(timer);
      res.once('close', () => clearInterval(timer));
    } else if (req.url?.startsWith('/hang/')) {
      // never answers
    } else if (req.url?.startsWith('/truncated/')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
      res.write('{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hel');
      setTimeout(() => res.destroy(), 20);
    } else if (req.url?.startsWith('/garbage/')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('this is not json');
    } else {
      res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
    }
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closed: Server = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    closedUrl: `http://127.0.0.1:${closedPort}`,
    nextClose: () => new Promise((resolve) => (onClose = resolve)),
    nextRequest: () => new Promise((resolve) => (onRequest = resolve)),
    close: async () => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

