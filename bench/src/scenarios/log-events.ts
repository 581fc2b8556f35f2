import { randomUUID } from 'node:crypto';
import type { LogPublisher } from '@aigw/bus';

// Synthetic request-log events for S5, shaped like the gateway's own: UUID request ids (under a run
// prefix, so the rows can be counted afterwards), two accounts behind two proxies, mostly 200s with some
// upstream 429s, a fifth of them streamed, plausible tokens and latencies, finished just now.

export type RequestLogEvent = Parameters<LogPublisher['publish']>[0];

/** ClientFormat.CLIENT_FORMAT_OPENAI in the generated enum. */
const CLIENT_FORMAT_OPENAI = 1;

/** The request-id prefix of one S5 run; `LIKE '<prefix>%'` finds its rows. */
export function runPrefix(): string {
  return `s5-${Date.now().toString(36)}-`;
}

/** The i-th event of a run. */
export function logEvent(prefix: string, i: number, nowMs: number): RequestLogEvent {
  const account = 1 + (i % 2);
  const failed = i % 50 === 49;
  const latencyMs = 150 + ((i * 7919) % 400);
  return {
    requestId: `${prefix}${randomUUID()}`,
    clientRequestId: '',
    apiKeyId: 1,
    providerId: 1,
    model: 'gpt-4o-mini',
    upstreamModel: 'gpt-4o-mini',
    accountId: account,
    proxyId: account,
    statusCode: failed ? 429 : 200,
    usage: failed ? undefined : { inputTokens: 20 + (i % 300), outputTokens: 5 + (i % 200), cachedInputTokens: i % 3 === 0 ? 16 : 0 },
    latencyMs,
    upstreamLatencyMs: latencyMs - 2,
    errorClass: failed ? 'upstream_429' : '',
    stream: i % 5 === 0,
    attempts: failed ? 3 : 1,
    clientFormat: CLIENT_FORMAT_OPENAI,
    startedAtMs: nowMs - latencyMs,
    finishedAtMs: nowMs,
    droppedFields: [],
    affinity: 0,
  };
}
