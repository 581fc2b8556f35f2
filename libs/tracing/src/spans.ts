import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

export { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span };

/** The tracer every part of the gateway records its spans with. */
export function tracer() {
  return trace.getTracer('aigw');
}

/** The `traceparent` header value of `span`'s context (or the active one); '' when nothing is traced. */
export function traceparentOf(ctx: Context = context.active()): string {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ?? '';
}

/** Adds the W3C trace context headers of `ctx` to `headers` (nothing when nothing is traced). */
export function injectTraceHeaders(headers: Record<string, string>, ctx: Context = context.active()): void {
  propagation.inject(ctx, headers);
}

/** The context a caller sent (`traceparent`, optionally `tracestate`), as the parent of a server span. */
export function contextFromTraceparent(traceparent: string | undefined, tracestate?: string): Context {
  if (!traceparent) return context.active();
  const carrier: Record<string, string> = { traceparent };
  if (tracestate) carrier.tracestate = tracestate;
  return propagation.extract(context.active(), carrier);
}

/** Starts a span as a child of `parent` and returns it with the context that has it active. */
export function startSpan(name: string, kind: SpanKind, attributes: Attributes = {}, parent: Context = context.active()): { span: Span; ctx: Context } {
  const span = tracer().startSpan(name, { kind, attributes }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/** Ends `span`, marked failed with the error's code (never its message's details beyond the code and message). */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'ERROR';
    span.setAttribute('error.type', code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: code });
  }
  span.end();
}

/** Runs `fn` with `ctx` active (its spans become children of ctx's span). */
export function withContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}
