import { AppError, toAppError } from '@aigw/errors';
import type { CallContext } from '@aigw/grpc';
import { StreamChunk, type InvokeRequest } from '@aigw/proto';
import type { Exchange, StreamTranslator } from '../adapters/provider-adapter.js';
import { streamFailure } from '../adapters/stream-failure.js';
import { ZERO_USAGE } from '../ir/chat-ir.js';
import { SseParser } from '@aigw/formats';
import { failureReport } from '../upstream/failure-report.js';
import type { UpstreamResponse } from '../upstream/upstream-client.js';
import { LIMIT_ERROR_CLASS } from '../upstream/call-signal.js';
import { statusClass } from './call-metrics.js';
import { protoUsage } from './proto-usage.js';
import type { InvokeDeps } from './invoke-unary.js';
import { planExchange, requireAccount } from './plan-exchange.js';
import { egressProxyId } from '../proxies/egress-proxy-id.js';

type Send = (chunk: StreamChunk) => Promise<boolean>;

/**
 * Writes through the gRPC stream with its backpressure, but gives up when the caller leaves: a
 * cancelled call may never drain, and the upstream must not be held open for it. False once gone.
 */
function sendUntilCancelled(write: (chunk: StreamChunk) => Promise<void>, signal: AbortSignal): Send {
  const gone = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  return async (chunk) => {
    if (signal.aborted) return false;
    await Promise.race([write(chunk), gone]);
    return !signal.aborted;
  };
}

/**
 * Sends `start` together with the first message that follows it, rather than on its own as soon as the
 * upstream's headers arrive: two messages in one write wake the caller once, and time to first byte is
 * what a streaming client notices.
 */
function startingWith(start: StreamChunk, send: Send): Send {
  let started = false;
  return async (chunk) => {
    if (!started) {
      started = true;
      if (!(await send(start))) return false;
    }
    return send(chunk);
  };
}

const dataChunk = (text: string) => StreamChunk.fromPartial({ data: Buffer.from(text) });

/** Error class a broken stream is logged under: the limit that ended it, or a break. */
function errorClass(error: AppError): string {
  if (error.details.limit === 'idle') return LIMIT_ERROR_CLASS.idle;
  if (error.code === 'DEADLINE_EXCEEDED') return 'deadline_exceeded';
  return error.code === 'UPSTREAM_TIMEOUT' ? 'upstream_timeout' : 'upstream_stream_broken';
}

/** A time limit (not a break) ended the stream: before any data its error ends the call, with its code and message. */
const endedByLimit = (error: AppError) => error.code === 'UPSTREAM_TIMEOUT' || error.code === 'DEADLINE_EXCEEDED';

/** A non-2xx answer before any data: `start{status}` then `error{status, retry_after_ms, body}`, so the caller may fail over. */
async function relayUpstreamError(upstream: UpstreamResponse, exchange: Exchange, start: StreamChunk, send: Send): Promise<void> {
  let text: string;
  try {
    text = await upstream.body.text();
  } catch (error) {
    throw upstream.bodyError(error);
  }
  const error = exchange.readError(upstream.status, text);
  if (!(await send(start))) return;
  await send(
    StreamChunk.fromPartial({
      error: {
        status: upstream.status,
        ...failureReport(upstream.headers, text, error.retryAfterMs),
        body: Buffer.from(error.body),
        errorClass: 'upstream_status',
      },
    }),
  );
}

/**
 * Relays the upstream's SSE body as client-format SSE, one gRPC message per upstream read. Nothing is
 * sent before the upstream produced something (the opening events wait for it), so a stream that
 * breaks at once ends with only `error{status:0}` and the caller can still fail over; one that a time
 * limit ended before any data fails the call with that limit's error instead. A later break or limit
 * sends the protocol's error event (naming the limit), the usage seen so far and `error{status:0}`. The
 * break is returned for the log; the call itself ends normally, since the failure travelled in-band.
 */
async function relayEvents(upstream: UpstreamResponse, stream: StreamTranslator, send: Send, signal: AbortSignal): Promise<AppError | undefined> {
  const parser = new SseParser();
  const opening = stream.begin();
  let started = false;
  let pending = '';
  const flush = async (): Promise<boolean> => {
    if (!started) pending = opening + pending;
    started = true;
    const text = pending;
    pending = '';
    return text === '' || send(dataChunk(text));
  };
  try {
    for await (const piece of upstream.body as AsyncIterable<Buffer>) {
      // While the piece is translated and sent (a slow client may hold the send), the upstream is not idle.
      upstream.active();
      for (const event of parser.push(piece)) pending += stream.push(event);
      if (pending !== '' && !(await flush())) return undefined;
      upstream.waiting();
    }
    for (const event of parser.end()) pending += stream.push(event);
    pending += stream.end();
  } catch (caught) {
    if (signal.aborted) return undefined;
    const error = caught instanceof AppError ? caught : upstream.bodyError(caught);
    if (!started && endedByLimit(error)) throw error;
    if (started) {
      pending += stream.fail(streamFailure(error));
      if (!(await flush())) return error;
      const usage = stream.usage();
      if (usage !== undefined && !(await send(StreamChunk.fromPartial({ usage: protoUsage(usage) })))) return error;
    }
    await send(StreamChunk.fromPartial({ error: { status: 0, errorClass: errorClass(error) } }));
    return error;
  }
  if (!(await flush())) return undefined;
  await send(StreamChunk.fromPartial({ usage: protoUsage(stream.usage() ?? ZERO_USAGE) }));
  return undefined;
}

/** One streaming call: `start`, then client-format SSE `data`, then `usage` (see the proto for failures). */
export async function invokeStream(
  deps: InvokeDeps,
  request: InvokeRequest,
  ctx: CallContext,
  write: (chunk: StreamChunk) => Promise<void>,
): Promise<void> {
  const account = requireAccount(request);
  const exchange = planExchange(request, true);
  // Counted while the upstream thinks; a failed estimate leaves the count to the stream's end.
  const promptEstimate = exchange.promptEstimate?.().catch(() => undefined);
  let upstream: UpstreamResponse;
  try {
    upstream = await deps.upstream.send(exchange.request, egressProxyId(account), ctx);
  } catch (error) {
    deps.metrics?.observe(account.providerName, toAppError(error).code);
    throw error;
  }
  deps.metrics?.observe(account.providerName, statusClass(upstream.status), upstream.headersMs);
  const send = sendUntilCancelled(write, ctx.signal);
  const start = StreamChunk.fromPartial({
    start: { status: upstream.status, proxyId: account.proxyId, upstreamLatencyMs: Math.round(upstream.headersMs), droppedFields: exchange.droppedFields },
  });
  try {
    if (upstream.status < 200 || upstream.status >= 300) return await relayUpstreamError(upstream, exchange, start, send);
    const broken = await relayEvents(upstream, exchange.openStream(await promptEstimate), startingWith(start, send), ctx.signal);
    if (broken !== undefined) {
      deps.logger.warn({ requestId: request.requestId, accountId: account.id, code: broken.code, reason: broken.message }, 'upstream stream broke');
    }
  } finally {
    upstream.release();
    upstream.body.destroy();
  }
}
