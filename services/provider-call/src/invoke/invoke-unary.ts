import { toAppError } from '@aigw/errors';
import type { CallContext } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import { InvokeResponse, type InvokeRequest } from '@aigw/proto';
import { logExcerpt } from '../adapters/error-excerpt.js';
import type { Exchange, UpstreamRequest } from '../adapters/provider-adapter.js';
import { failureReport } from '../upstream/failure-report.js';
import type { UpstreamExchange, UpstreamResponse } from '../upstream/upstream-client.js';
import { statusClass, type CallMetrics } from './call-metrics.js';
import { planExchange, requireAccount } from './plan-exchange.js';
import { protoUsage } from './proto-usage.js';
import { egressProxyId } from '../proxies/egress-proxy-id.js';

/** What both invoke paths need. */
export interface InvokeDeps {
  upstream: {
    send(request: UpstreamRequest, proxyId: number, ctx: CallContext): Promise<UpstreamResponse>;
    exchange(request: UpstreamRequest, proxyId: number, ctx: CallContext): Promise<UpstreamExchange>;
  };
  logger: Logger;
  metrics?: CallMetrics;
}

const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * Sends the call's request, then its moreRequests one after another while each answers 2xx. `upstream` is the
 * last answer (or failure); `texts` the 2xx bodies before it.
 */
async function sendRequests(deps: InvokeDeps, exchange: Exchange, proxyId: number, ctx: CallContext): Promise<{ upstream: UpstreamExchange; texts: string[] }> {
  let upstream = await deps.upstream.exchange(exchange.request, proxyId, ctx);
  const texts: string[] = [];
  for (const next of exchange.moreRequests ?? []) {
    if (upstream.kind === 'failed' || !isSuccess(upstream.status)) break;
    texts.push(upstream.text);
    upstream = await deps.upstream.exchange(next, proxyId, ctx);
  }
  return { upstream, texts };
}

/** One non-streaming call: translate, send through the account's proxy, translate the answer back. */
export async function invokeUnary(deps: InvokeDeps, request: InvokeRequest, ctx: CallContext): Promise<InvokeResponse> {
  const account = requireAccount(request);
  const exchange = planExchange(request, false);
  const started = performance.now();
  // An answer that may carry no token count is counted locally, while the upstream works.
  const estimate = exchange.promptEstimate?.().catch(() => undefined);
  const { upstream, texts } = await sendRequests(deps, exchange, egressProxyId(account), ctx);
  if (upstream.kind === 'failed') {
    deps.metrics?.observe(account.providerName, upstream.error.code, upstream.headersMs);
    throw upstream.error;
  }
  deps.metrics?.observe(account.providerName, statusClass(upstream.status), upstream.headersMs);

  const base = {
    status: upstream.status,
    upstreamLatencyMs: Math.round(performance.now() - started),
    proxyId: account.proxyId,
    droppedFields: exchange.droppedFields,
  };
  if (isSuccess(upstream.status)) {
    try {
      const promptTokens = estimate === undefined ? undefined : await estimate;
      // An upstream that only streams (the Codex backend): the whole answer is read from the collected stream.
      const collect = exchange.request.streamedAnswer;
      const last = collect === undefined ? upstream.text : collect(upstream.text);
      // One request (nearly every call): its body. Several: the first body, then the others in order.
      const { body, usage } =
        texts.length === 0 ? exchange.readResponse(last, promptTokens) : exchange.readResponse(texts[0] as string, promptTokens, [...texts.slice(1), last]);
      return InvokeResponse.fromPartial({ ...base, body: Buffer.from(body), usage: protoUsage(usage) });
    } catch (error) {
      const message = toAppError(error, 'UPSTREAM_ERROR').message;
      deps.logger.warn({ requestId: request.requestId, accountId: account.id, status: upstream.status, reason: message }, 'unreadable upstream answer');
      return InvokeResponse.fromPartial({ ...base, status: 502, body: Buffer.from(exchange.errorBody({ status: 502, message })) });
    }
  }
  const error = exchange.readError(upstream.status, upstream.text);
  // The body's start is for operators only (the client's message holds the provider's own message, or the status).
  deps.logger.debug({ requestId: request.requestId, accountId: account.id, status: upstream.status, excerpt: logExcerpt(upstream.text) }, 'upstream answered with an error');
  return InvokeResponse.fromPartial({
    ...base,
    body: Buffer.from(error.body),
    ...failureReport(upstream.headers, upstream.text, error.retryAfterMs),
  });
}
