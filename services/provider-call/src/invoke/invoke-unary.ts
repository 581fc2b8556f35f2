import { toAppError } from '@aigw/errors';
import type { CallContext } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import { InvokeResponse, type InvokeRequest } from '@aigw/proto';
import type { UpstreamRequest } from '../adapters/provider-adapter.js';
import { retryAfterMs } from '../upstream/retry-after.js';
import type { UpstreamExchange, UpstreamResponse } from '../upstream/upstream-client.js';
import { statusClass, type CallMetrics } from './call-metrics.js';
import { planExchange, requireAccount } from './plan-exchange.js';
import { protoUsage } from './proto-usage.js';

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

/** One non-streaming call: translate, send through the account's proxy, translate the answer back. */
export async function invokeUnary(deps: InvokeDeps, request: InvokeRequest, ctx: CallContext): Promise<InvokeResponse> {
  const account = requireAccount(request);
  const exchange = planExchange(request, false);
  const started = performance.now();
  // An answer that may carry no token count is counted locally, while the upstream works.
  const estimate = exchange.promptEstimate?.().catch(() => undefined);
  const upstream = await deps.upstream.exchange(exchange.request, account.proxyId, ctx);
  if (upstream.kind === 'failed') {
    deps.metrics?.observe(account.providerKind, upstream.error.code, upstream.headersMs);
    throw upstream.error;
  }
  deps.metrics?.observe(account.providerKind, statusClass(upstream.status), upstream.headersMs);

  const base = {
    status: upstream.status,
    upstreamLatencyMs: Math.round(performance.now() - started),
    proxyId: account.proxyId,
    droppedFields: exchange.droppedFields,
  };
  if (isSuccess(upstream.status)) {
    try {
      const { body, usage } = exchange.readResponse(upstream.text, estimate === undefined ? undefined : await estimate);
      return InvokeResponse.fromPartial({ ...base, body: Buffer.from(body), usage: protoUsage(usage) });
    } catch (error) {
      const message = toAppError(error, 'UPSTREAM_ERROR').message;
      deps.logger.warn({ requestId: request.requestId, accountId: account.id, status: upstream.status, reason: message }, 'unreadable upstream answer');
      return InvokeResponse.fromPartial({ ...base, status: 502, body: Buffer.from(exchange.errorBody({ status: 502, message })) });
    }
  }
  const error = exchange.readError(upstream.status, upstream.text);
  deps.logger.debug({ requestId: request.requestId, accountId: account.id, status: upstream.status }, 'upstream answered with an error');
  return InvokeResponse.fromPartial({
    ...base,
    body: Buffer.from(error.body),
    retryAfterMs: retryAfterMs(upstream.headers) ?? error.retryAfterMs ?? 0,
  });
}
