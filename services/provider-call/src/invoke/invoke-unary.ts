import { toAppError } from '@aigw/errors';
import type { CallContext } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import { InvokeResponse, type InvokeRequest } from '@aigw/proto';
import type { UpstreamRequest } from '../adapters/provider-adapter.js';
import { retryAfterMs } from '../upstream/retry-after.js';
import type { UpstreamResponse } from '../upstream/upstream-client.js';
import { statusClass, type CallMetrics } from './call-metrics.js';
import { planExchange, requireAccount } from './plan-exchange.js';
import { protoUsage } from './proto-usage.js';

/** What both invoke paths need. */
export interface InvokeDeps {
  upstream: { send(request: UpstreamRequest, proxyId: number, ctx: CallContext): Promise<UpstreamResponse> };
  logger: Logger;
  metrics?: CallMetrics;
}

const isSuccess = (status: number) => status >= 200 && status < 300;

/** One non-streaming call: translate, send through the account's proxy, translate the answer back. */
export async function invokeUnary(deps: InvokeDeps, request: InvokeRequest, ctx: CallContext): Promise<InvokeResponse> {
  const account = requireAccount(request);
  const exchange = planExchange(request, false);
  const started = performance.now();
  let upstream: UpstreamResponse;
  try {
    upstream = await deps.upstream.send(exchange.request, account.proxyId, ctx);
  } catch (error) {
    deps.metrics?.observe(account.providerKind, toAppError(error).code);
    throw error;
  }
  let text: string;
  try {
    text = await upstream.body.text();
  } catch (error) {
    const appError = upstream.bodyError(error);
    deps.metrics?.observe(account.providerKind, appError.code, upstream.headersMs);
    throw appError;
  } finally {
    upstream.release();
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
      const { body, usage } = exchange.readResponse(text);
      return InvokeResponse.fromPartial({ ...base, body: Buffer.from(body), usage: protoUsage(usage) });
    } catch (error) {
      const message = toAppError(error, 'UPSTREAM_ERROR').message;
      deps.logger.warn({ requestId: request.requestId, accountId: account.id, status: upstream.status, reason: message }, 'unreadable upstream answer');
      return InvokeResponse.fromPartial({ ...base, status: 502, body: Buffer.from(exchange.errorBody({ status: 502, message })) });
    }
  }
  const error = exchange.readError(upstream.status, text);
  deps.logger.debug({ requestId: request.requestId, accountId: account.id, status: upstream.status }, 'upstream answered with an error');
  return InvokeResponse.fromPartial({
    ...base,
    body: Buffer.from(error.body),
    retryAfterMs: retryAfterMs(upstream.headers) ?? error.retryAfterMs ?? 0,
  });
}
