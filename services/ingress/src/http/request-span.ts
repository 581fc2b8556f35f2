import type { IncomingMessage } from 'node:http';
import { contextFromTraceparent, endSpan, SpanKind, startSpan, withContext, type Span } from '@aigw/tracing';
import type { RequestTrace } from '../proxying/backends.js';
import type { RequestSummary } from '../request-log/request-log-event.js';

/**
 * Runs a proxied request's handler inside its server span (README "Tracing"): the backend calls it makes are the
 * span's children. A client's own `traceparent` makes the span its child. Never bodies, headers or keys.
 */
export function inRequestSpan<T>(req: IncomingMessage, protocol: string, serve: (span: Span) => T): T {
  const header = req.headers.traceparent;
  const state = req.headers.tracestate;
  const parent = contextFromTraceparent(typeof header === 'string' ? header : undefined, typeof state === 'string' ? state : undefined);
  const method = req.method ?? 'POST';
  const { span, ctx } = startSpan(`${method} ${protocol}`, SpanKind.SERVER, {
    'http.request.method': method,
    'url.path': (req.url ?? '').split('?')[0] ?? '',
    'aigw.protocol': protocol,
  }, parent);
  return withContext(ctx, () => serve(span));
}

/** Ends the request's span with what the request log records of it (a stream's: once the stream is over). */
export function endRequestSpan(span: Span, summary: RequestSummary, trace: RequestTrace): void {
  span.setAttributes({
    'aigw.request_id': summary.requestId,
    'gen_ai.request.model': summary.model,
    'aigw.stream': summary.stream,
    'aigw.provider': trace.providerName,
    'aigw.attempts': trace.attempts,
    'http.response.status_code': summary.statusCode,
  });
  endSpan(span, summary.statusCode >= 500 ? { code: summary.errorClass || String(summary.statusCode) } : undefined);
}
