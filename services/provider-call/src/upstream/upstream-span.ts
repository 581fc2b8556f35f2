import { endSpan, injectTraceHeaders, SpanKind, SpanStatusCode, startSpan, type Span } from '@aigw/tracing';
import type { UpstreamRequest } from '../adapters/provider-adapter.js';

/** The client span of one upstream HTTP call and the request's headers with its `traceparent`. */
export interface UpstreamSpan {
  headers: Record<string, string>;
  /** Records the upstream's status (headers came). */
  status(code: number): void;
  end(error?: unknown): void;
}

/**
 * Starts the span of an upstream call (method, host and port; never the path's query, which may carry a key, nor
 * headers or bodies) and sends its trace context upstream, so that a traced upstream continues the trace.
 */
export function upstreamSpan(upstream: UpstreamRequest): UpstreamSpan {
  const url = new URL(upstream.url);
  const method = upstream.method ?? 'POST';
  const { span, ctx } = startSpan(method, SpanKind.CLIENT, {
    'http.request.method': method,
    'server.address': url.hostname,
    'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    'url.scheme': url.protocol.replace(':', ''),
  });
  let headers = upstream.headers;
  if (span.isRecording()) {
    headers = { ...upstream.headers };
    injectTraceHeaders(headers, ctx);
  }
  return { headers, status: (code) => statusOf(span, code), end: once(span) };
}

function statusOf(span: Span, code: number): void {
  span.setAttribute('http.response.status_code', code);
  if (code >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: String(code) });
}

function once(span: Span): (error?: unknown) => void {
  let ended = false;
  return (error) => {
    if (ended) return;
    ended = true;
    endSpan(span, error);
  };
}
