import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectClientHeaders } from '@aigw/client-headers';
import { AppError, toAppError } from '@aigw/errors';
import type { Logger } from '@aigw/logger';
import type { Span } from '@aigw/tracing';
import { affinityKey } from '../affinity/affinity-key.js';
import type { ApiKeyCache, ApiKeyRecord } from '../keys/api-key-cache.js';
import { authenticateClient } from '../keys/authenticate-client.js';
import type { KeyLimits } from '../keys/key-limits.js';
import type { IngressMetrics } from '../observability/ingress-metrics.js';
import { errorEvent } from '../protocol/error-shape.js';
import type { AttemptLoop } from '../proxying/attempt-loop.js';
import { newTrace, type StreamSink } from '../proxying/backends.js';
import { upstreamErrorClass } from '../proxying/retry-policy.js';
import { errorClassOf, withLimitNamed } from '../proxying/time-limits.js';
import { newRequestSummary, requestLogEvent, type RequestLogSink } from '../request-log/request-log-event.js';
import type { RouteCache } from '../routing/route-cache.js';
import { UNBOUNDED_ADMISSION, type AdmissionGate, type Release } from './admission-gate.js';
import type { ChatCall, ChatEndpoint } from './chat-endpoints.js';
import { sendClientError, sendUpstreamBody } from './client-responses.js';
import { holdEnd } from './held-end.js';
import { jsonArraySink } from './json-array-sink.js';
import { keySources } from './key-sources.js';
import type { JsonBodyReader } from './read-json-body.js';
import { clientRequestIdOfResponse, requestIdOf } from './request-context.js';
import { endRequestSpan, inRequestSpan } from './request-span.js';
import { sseSink } from './sse-sink.js';

/** What the chat routes need; main.ts wires the real ones, tests pass fakes. */
export interface ChatDeps {
  apiKeys: ApiKeyCache;
  /** Per-key limits: requests and tokens per minute, budget, allowed models. */
  keyLimits: KeyLimits;
  routes: RouteCache;
  attemptLoop: AttemptLoop;
  readBody: JsonBodyReader;
  requestLog: RequestLogSink;
  metrics: IngressMetrics;
  logger: Logger;
  /** Time limit of a non-streaming request, failover included. */
  requestTimeoutMs: number;
  /** Time limit of a streaming request, from arrival to its last event (default: requestTimeoutMs). */
  streamTimeoutMs?: number;
  /** Bounds the proxied requests served at once (MAX_IN_FLIGHT); without it, none. */
  admission?: AdmissionGate;
}

/** `sink`, calling `onFirst` once, when the answer's first bytes go to the client (time to first byte). */
function onFirstWrite(sink: StreamSink, onFirst: () => void): StreamSink {
  let first = true;
  const mark = () => {
    if (first) onFirst();
    first = false;
  };
  return {
    begin: (dropped) => sink.begin(dropped),
    write: (chunk) => (mark(), sink.write(chunk)),
    writeEvent: (event) => (mark(), sink.writeEvent(event)),
    end: () => sink.end(),
  };
}

function sinkFor(res: ServerResponse, call: ChatCall): StreamSink | undefined {
  if (!call.stream) return undefined;
  return call.framing === 'json-array' ? jsonArraySink(res) : sseSink(res);
}

/** A request handler that needs only node's request and response (so it runs with or without express). */
export type NodeHandler<R extends IncomingMessage = IncomingMessage> = (req: R, res: ServerResponse) => Promise<void>;

/**
 * A chat route (OpenAI Chat Completions and Responses, Anthropic, Gemini): key → key limits → one body parse → allowed model →
 * validation → route → (Responses: continuation) → attempt loop; every outcome answered in the client's
 * protocol and logged once. Never rejects.
 */
export function chatHandler<R extends IncomingMessage & { query?: unknown }>(endpoint: ChatEndpoint<R>, deps: ChatDeps): NodeHandler<R> {
  const serve = servingChat(endpoint, deps);
  return (req, res) => inRequestSpan(req, endpoint.protocol, (span) => serve(req, res, span));
}

/** The chat route's work, inside its request span (see chatHandler). */
function servingChat<R extends IncomingMessage & { query?: unknown }>(endpoint: ChatEndpoint<R>, deps: ChatDeps) {
  const { protocol } = endpoint;
  return async (req: R, res: ServerResponse, span: Span): Promise<void> => {
    const startedAtMs = Date.now();
    const requestId = requestIdOf(res);
    const trace = newTrace();
    const summary = newRequestSummary(requestId, clientRequestIdOfResponse(res), protocol, startedAtMs);
    const clientGone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });
    let sink: StreamSink | undefined;
    let limit = { stream: false, deadline: startedAtMs + deps.requestTimeoutMs, timeLimitMs: deps.requestTimeoutMs };
    let release: Release | undefined;
    let key: ApiKeyRecord | undefined;
    let firstByteAtMs = 0;
    const releaseEnd = holdEnd(res);
    try {
      // First, before the key check and the body: a shed request costs next to nothing. A stream holds its slot to its end.
      release = await (deps.admission ?? UNBOUNDED_ADMISSION).enter(clientGone.signal);
      const client = await authenticateClient(deps.apiKeys, keySources(req, protocol));
      summary.apiKeyId = client.id;
      let body = await deps.readBody(req, res);
      const call = endpoint.decode(req, body.value);
      summary.model = call.model;
      summary.stream = call.stream;
      // After the model is known: a refusal is logged with it, and a model the key may not use is a 403 whatever
      // its budget says.
      deps.keyLimits.checkModel(client, call.model);
      await deps.keyLimits.check(client);
      // Charged from here on: a request refused before reaching an upstream cost nothing.
      key = client;
      const route = deps.routes.resolve(call.model);
      // The Responses API only: a continuation's body, the answer's id, and the store that keeps it.
      const turn = endpoint.responses ? await endpoint.responses.begin(client.id, body) : undefined;
      if (turn) body = turn.body;
      const { value } = body;
      let conversation: string | undefined;
      const conversationKey = () => (conversation ??= affinityKey(protocol, req.headers, value, client.id, turn?.continuedAffinityKey));
      sink = sinkFor(res, call);
      if (sink) sink = onFirstWrite(sink, () => (firstByteAtMs ||= Date.now()));
      if (sink && turn?.keeper) sink = turn.keeper.watch(sink, conversationKey);
      const timeLimitMs = call.stream ? (deps.streamTimeoutMs ?? deps.requestTimeoutMs) : deps.requestTimeoutMs;
      limit = { stream: call.stream, deadline: startedAtMs + timeLimitMs, timeLimitMs };
      const outcome = await deps.attemptLoop.run(
        {
          requestId,
          protocol,
          body: body.raw,
          route,
          stream: call.stream,
          framing: call.framing,
          deadline: limit.deadline,
          timeLimitMs,
          signal: clientGone.signal,
          clientHeaders: collectClientHeaders(req.headers),
          responseId: turn?.responseId,
          affinityKey: endpoint.affinity === false ? undefined : conversationKey,
        },
        trace,
        sink,
      );
      summary.statusCode = outcome.status;
      summary.errorClass = trace.errorClass || (outcome.status >= 400 ? upstreamErrorClass(outcome.status) : '');
      if (outcome.kind === 'response') {
        // Stored before it is sent, so that a client continuing at once finds it.
        if (turn?.keeper) await turn.keeper.keepBody(outcome.status, outcome.body, conversationKey);
        firstByteAtMs ||= Date.now();
        sendUpstreamBody(res, outcome.status, outcome.body, outcome.retryAfterMs, trace.droppedFields);
      }
    } catch (thrown) {
      const error = clientGone.signal.aborted
        ? new AppError('CANCELLED', 'client closed the request')
        : withLimitNamed(toAppError(thrown), limit, Date.now());
      summary.statusCode = error.httpStatus;
      summary.errorClass = errorClassOf(error, limit.stream);
      if (error.code === 'INTERNAL') deps.logger.error({ requestId, err: thrown }, 'request failed');
      if (!res.headersSent) sendClientError(res, protocol, error);
      else if (sink) {
        // Through the sink, so that the error event gets the stream's own framing.
        await sink.writeEvent(errorEvent(protocol, error));
        sink.end();
      } else if (!res.writableEnded) res.end();
    } finally {
      release?.();
      summary.finishedAtMs = Date.now();
      const event = requestLogEvent(summary, trace);
      // Before anything is awaited: the replica's next request of this key is checked after this charge.
      if (key) deps.keyLimits.charge(key, trace.usage, event.costMicroUsd);
      deps.requestLog.publish(event);
      // The answer's last bytes leave after the event is in the outbox (see holdEnd).
      releaseEnd();
      endRequestSpan(span, summary, trace);
      deps.metrics.countAttempts(trace.providerName, trace.attempts);
      deps.metrics.countAffinity(trace.providerName, trace.affinity);
      if (trace.providerName !== '') {
        deps.metrics.countUsage({ provider: trace.providerName, model: trace.upstreamModel, key: String(summary.apiKeyId) }, event);
        if (firstByteAtMs > 0) deps.metrics.observeFirstByte(trace.providerName, summary.stream, (firstByteAtMs - startedAtMs) / 1000);
      }
    }
  };
}
