import type { IncomingHttpHeaders } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { AppError, toAppError } from '@aigw/errors';
import type { CallContext } from '@aigw/grpc';
import type { UpstreamRequest } from '../adapters/provider-adapter.js';
import type { ProxyDirectory, ProxyEntry } from '../proxies/proxy-directory.js';
import type { ProxyHealth } from '../proxies/proxy-health.js';
import { CallSignal, isProxyFault, type CallLimits } from './call-signal.js';
import { UnusableProxyError, type Dispatchers } from './dispatchers.js';
import { upstreamSpan } from './upstream-span.js';
import { WholeAnswer, type WholeAnswerResult } from './whole-answer.js';

export interface UpstreamClientOptions {
  dispatchers: Dispatchers;
  proxies: ProxyDirectory;
  health: ProxyHealth;
  /**
   * Whole non-streaming call, headers included: such an upstream sends its headers only with the finished
   * answer, so there is no separate wait for headers (bounded further by the caller's gRPC deadline).
   */
  callTimeoutMs: number;
  /** Longest silence of a streaming upstream: until its headers, and between two reads of its body. */
  streamIdleTimeoutMs: number;
}

/** An upstream answer whose headers arrived; the body is still to be read. */
export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
  /** Time from sending to the response headers. */
  headersMs: number;
  /** The AppError for a failure while reading the body (timeout, cancel, broken connection). */
  bodyError(error: unknown): AppError;
  /** A piece of the body arrived: until `waiting()`, the caller is busy with it, not waiting on the upstream. */
  active(): void;
  /** The caller reads the body again: the idle limit counts from now. */
  waiting(): void;
  /** Ends the call's timer; call once the body is consumed or abandoned. */
  release(): void;
}

/** A non-streaming call's outcome: the whole answer, or the classified error (`headersMs` when headers came). */
export type UpstreamExchange =
  | { kind: 'answer'; status: number; headers: IncomingHttpHeaders; text: string; headersMs: number }
  | { kind: 'failed'; error: AppError; headersMs?: number };

/** What both ways of calling prepare: the proxy, the call's signal (with its limits) and the dispatcher. */
interface PreparedCall {
  proxy: ProxyEntry | undefined;
  call: CallSignal;
  dispatcher: Dispatcher;
}

/** Sends upstream requests through the account's proxy (or directly), with timeouts and cancellation. */
export class UpstreamClient {
  constructor(private readonly options: UpstreamClientOptions) {}

  /** A streamed call: resolves once the headers are in; the caller reads the body. */
  async send(upstream: UpstreamRequest, proxyId: number, ctx: CallContext): Promise<UpstreamResponse> {
    const { proxy, call, dispatcher } = await this.#prepare(upstream.url, proxyId, ctx, { idleMs: this.options.streamIdleTimeoutMs, deadline: ctx.deadline });
    const span = upstreamSpan(upstream);
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await request(upstream.url, {
        method: 'POST',
        headers: span.headers,
        body: upstream.body,
        dispatcher,
        signal: call.signal,
        // The call's signal enforces the limits (idle included); undici's own timers would only cut it sooner.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
    } catch (error) {
      const failed = this.#connectFailed(proxy, call, error);
      span.end(failed);
      throw failed;
    }
    span.status(response.statusCode);
    const refused = this.#headersCame(proxy, call, response.statusCode);
    if (refused !== undefined) {
      span.end(refused);
      response.body.dump().catch(() => undefined);
      throw refused;
    }
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
      headersMs: performance.now() - started,
      bodyError: (error) => {
        const failed = call.classify(error, 'body');
        span.end(failed);
        return failed;
      },
      active: () => call.active(),
      waiting: () => call.waiting(),
      // The span ends with the body: a stream's span covers it to its last byte.
      release: () => {
        span.end();
        call.release();
      },
    };
  }

  /**
   * A non-streaming call, answer read whole. Through undici's dispatch with a handler that keeps the body in
   * memory: the body stream and signal plumbing of `request()` cost a fifth of this service's CPU per call.
   */
  async exchange(upstream: UpstreamRequest, proxyId: number, ctx: CallContext): Promise<UpstreamExchange> {
    let prepared: PreparedCall;
    try {
      prepared = await this.#prepare(upstream.url, proxyId, ctx, { callMs: this.options.callTimeoutMs, deadline: ctx.deadline });
    } catch (error) {
      return { kind: 'failed', error: toAppError(error) };
    }
    const { proxy, call, dispatcher } = prepared;
    const url = new URL(upstream.url);
    const span = upstreamSpan(upstream);
    const started = performance.now();
    const result = await new Promise<WholeAnswerResult>((resolve) => {
      const handler = new WholeAnswer(resolve);
      const abort = () => handler.abort(call.signal.reason instanceof Error ? call.signal.reason : new Error('aborted'));
      if (call.signal.aborted) abort();
      else call.signal.addEventListener('abort', abort, { once: true });
      const options = {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: upstream.method ?? 'POST',
        headers: span.headers,
        body: upstream.method === 'GET' ? null : upstream.body,
        // The headers come with the finished answer: the whole-call limit (the call's signal) is the only one.
        headersTimeout: 0,
        bodyTimeout: 0,
      };
      try {
        dispatcher.dispatch(options, handler);
      } catch (error) {
        // undici rejects invalid options synchronously; that is a failure before any headers.
        handler.onResponseError(undefined, error instanceof Error ? error : new Error(String(error)));
      }
    });
    call.release();
    if (result.kind === 'failed') {
      const error = result.headersAt === undefined ? this.#connectFailed(proxy, call, result.error) : call.classify(result.error, 'body');
      span.end(error);
      return result.headersAt === undefined ? { kind: 'failed', error } : { kind: 'failed', error, headersMs: result.headersAt - started };
    }
    const headersMs = result.headersAt - started;
    span.status(result.status);
    const refused = this.#headersCame(proxy, call, result.status);
    span.end(refused);
    if (refused !== undefined) return { kind: 'failed', error: refused, headersMs };
    return { kind: 'answer', status: result.status, headers: result.headers, text: utf8Text(result.body), headersMs };
  }

  async #prepare(url: string, proxyId: number, ctx: CallContext, limits: CallLimits): Promise<PreparedCall> {
    const proxy = proxyId === 0 ? undefined : await this.#proxy(proxyId);
    if (ctx.deadline <= Date.now()) throw new AppError('DEADLINE_EXCEEDED', 'no time left for the upstream call');
    let dispatcher: Dispatcher;
    try {
      dispatcher = this.options.dispatchers.get(proxy?.url);
    } catch (error) {
      if (!(error instanceof UnusableProxyError) || proxy === undefined) throw error;
      // Counted like any proxy failure, so the proxy is disabled and its accounts rebound rather than failing forever.
      this.options.health.requested(proxy.id);
      this.options.health.failed(proxy.id);
      throw new AppError('UPSTREAM_UNREACHABLE', `proxy ${proxy.id} cannot be used: ${error.message}`, { cause: error });
    }
    // Directly, the connector judges every connection; through a proxy only the URL's literal host can be.
    const refused = proxy === undefined ? undefined : this.options.dispatchers.proxiedTargetRefusal(url);
    if (refused !== undefined) throw new AppError('UPSTREAM_UNREACHABLE', `upstream unreachable (egress refused: ${refused})`);
    const call = new CallSignal(ctx.signal, limits);
    if (proxy !== undefined) this.options.health.requested(proxy.id);
    return { proxy, call, dispatcher };
  }

  /** No response headers: the AppError, counted against the proxy when it is the proxy's fault. */
  #connectFailed(proxy: ProxyEntry | undefined, call: CallSignal, error: unknown): AppError {
    call.release();
    const appError = call.classify(error, 'connect');
    if (proxy !== undefined && isProxyFault(appError)) this.options.health.failed(proxy.id);
    return appError;
  }

  /** Headers came: the proxy's health is settled; returns the error when the proxy refused its credentials. */
  #headersCame(proxy: ProxyEntry | undefined, call: CallSignal, status: number): AppError | undefined {
    if (proxy === undefined) return undefined;
    if (status === 407) {
      call.release();
      this.options.health.failed(proxy.id);
      return new AppError('UPSTREAM_UNREACHABLE', `proxy ${proxy.id} refused its credentials (407)`);
    }
    this.options.health.succeeded(proxy.id);
    return undefined;
  }

  async #proxy(id: number): Promise<ProxyEntry> {
    const proxy = await this.options.proxies.get(id);
    // Never fall back to a direct call: the binding exists to keep the account behind its proxy.
    if (proxy === undefined) throw new AppError('UPSTREAM_UNREACHABLE', `proxy ${id} is not in the proxy pool`);
    if (!proxy.isActive) throw new AppError('UPSTREAM_UNREACHABLE', `proxy ${id} is disabled`);
    return proxy;
  }
}

/** The body as text, like undici's `text()`: UTF-8, a leading byte order mark dropped. */
function utf8Text(body: Buffer): string {
  const bom = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  return (bom ? body.subarray(3) : body).toString('utf8');
}
