import type { IncomingHttpHeaders } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { AppError } from '@aigw/errors';
import type { CallContext } from '@aigw/grpc';
import type { UpstreamRequest } from '../adapters/provider-adapter.js';
import type { ProxyDirectory, ProxyEntry } from '../proxies/proxy-directory.js';
import type { ProxyHealth } from '../proxies/proxy-health.js';
import { CallSignal, isProxyFault } from './call-signal.js';
import type { Dispatchers } from './dispatchers.js';

export interface UpstreamClientOptions {
  dispatchers: Dispatchers;
  proxies: ProxyDirectory;
  health: ProxyHealth;
  /** Budget of a whole call, body included (bounded further by the gRPC deadline). */
  totalTimeoutMs: number;
  headersTimeoutMs: number;
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
  /** Ends the call's timer; call once the body is consumed or abandoned. */
  release(): void;
}

/** Sends upstream requests through the account's proxy (or directly), with timeouts and cancellation. */
export class UpstreamClient {
  constructor(private readonly options: UpstreamClientOptions) {}

  async send(upstream: UpstreamRequest, proxyId: number, ctx: CallContext): Promise<UpstreamResponse> {
    const proxy = proxyId === 0 ? undefined : await this.#proxy(proxyId);
    const budget = Math.min(this.options.totalTimeoutMs, ctx.deadline - Date.now());
    if (budget <= 0) throw new AppError('DEADLINE_EXCEEDED', 'no time left for the upstream call');
    const call = new CallSignal(ctx.signal, budget);
    if (proxy !== undefined) this.options.health.requested(proxy.id);
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await request(upstream.url, {
        method: 'POST',
        headers: upstream.headers,
        body: upstream.body,
        dispatcher: this.options.dispatchers.get(proxy?.url),
        signal: call.signal,
        headersTimeout: Math.min(this.options.headersTimeoutMs, budget),
        bodyTimeout: 0, // the call's own budget bounds the body; a thinking model may pause long between events
      });
    } catch (error) {
      call.release();
      const appError = call.classify(error, 'connect');
      if (proxy !== undefined && isProxyFault(appError)) this.options.health.failed(proxy.id);
      throw appError;
    }
    if (proxy !== undefined) {
      if (response.statusCode === 407) {
        response.body.dump().catch(() => undefined);
        call.release();
        this.options.health.failed(proxy.id);
        throw new AppError('UPSTREAM_UNREACHABLE', `proxy ${proxy.id} refused its credentials (407)`);
      }
      this.options.health.succeeded(proxy.id);
    }
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
      headersMs: performance.now() - started,
      bodyError: (error) => call.classify(error, 'body'),
      release: () => call.release(),
    };
  }

  async #proxy(id: number): Promise<ProxyEntry> {
    const proxy = await this.options.proxies.get(id);
    // Never fall back to a direct call: the binding exists to keep the account behind its proxy.
    if (proxy === undefined) throw new AppError('UPSTREAM_UNREACHABLE', `proxy ${id} is not in the proxy pool`);
    if (!proxy.isActive) throw new AppError('UPSTREAM_UNREACHABLE', `proxy ${id} is disabled`);
    return proxy;
  }
}
