import { requestCostMicroUsd } from '@aigw/pricing';
import type { RequestLogEvent } from '@aigw/proto';
import { CLIENT_FORMAT, type ClientProtocol } from '../protocol/client-protocol.js';
import type { RequestTrace } from '../proxying/backends.js';

/** Where request-log events go (LogPublisher: returns at once, delivers later). */
export interface RequestLogSink {
  publish(event: RequestLogEvent): void;
}

/** What the HTTP layer knows about a client request when it is over. */
export interface RequestSummary {
  /** The gateway's own id (the log row's identity). */
  requestId: string;
  /** The client's own id, '' when none: only carried and searchable, never an identity. */
  clientRequestId: string;
  protocol: ClientProtocol;
  /** 0 when the key was missing or unknown. */
  apiKeyId: number;
  /** Empty when the body never got as far as naming one. */
  model: string;
  stream: boolean;
  statusCode: number;
  errorClass: string;
  startedAtMs: number;
  finishedAtMs: number;
}

/** The summary of a request that has just begun (status 500 until something better is known). */
export function newRequestSummary(requestId: string, clientRequestId: string, protocol: ClientProtocol, startedAtMs: number): RequestSummary {
  return { requestId, clientRequestId, protocol, apiKeyId: 0, model: '', stream: false, statusCode: 500, errorClass: '', startedAtMs, finishedAtMs: 0 };
}

/**
 * What the request cost in micro-USD: its usage (the whole prompt in inputTokens, cache reads a part of it) at
 * the route's price override, else at the maintained price table's price of the model sent upstream; undefined
 * when nothing was used or the model has no known price.
 */
export function requestCost(trace: RequestTrace): number | undefined {
  if (trace.usage === undefined) return undefined;
  const { inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens } = trace.usage;
  const usage = { inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens: cacheWriteInputTokens ?? 0 };
  return requestCostMicroUsd(trace.providerKind, trace.upstreamModel, usage, trace.price) ?? undefined;
}

/** The one RequestLogEvent of a client request. */
export function requestLogEvent(summary: RequestSummary, trace: RequestTrace): RequestLogEvent {
  return {
    requestId: summary.requestId,
    apiKeyId: summary.apiKeyId,
    providerId: trace.providerId,
    model: summary.model,
    upstreamModel: trace.upstreamModel,
    accountId: trace.accountId,
    proxyId: trace.proxyId,
    statusCode: summary.statusCode,
    usage: trace.usage,
    latencyMs: Math.max(0, Math.round(summary.finishedAtMs - summary.startedAtMs)),
    upstreamLatencyMs: trace.upstreamLatencyMs,
    errorClass: summary.errorClass,
    stream: summary.stream,
    attempts: trace.attempts,
    clientFormat: CLIENT_FORMAT[summary.protocol],
    startedAtMs: summary.startedAtMs,
    finishedAtMs: summary.finishedAtMs,
    droppedFields: trace.droppedFields,
    affinity: trace.affinity,
    clientRequestId: summary.clientRequestId,
    costMicroUsd: requestCost(trace),
  };
}
