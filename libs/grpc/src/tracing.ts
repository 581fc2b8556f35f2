import { contextFromTraceparent, endSpan, SpanKind, startSpan, traceparentOf, type Context } from '@aigw/tracing';

/** A client span for one call to a backend, and the traceparent that makes the server's span its child. */
export interface CallSpan {
  traceparent: string;
  end(error?: unknown): void;
}

/** Starts the span of a call to `backend` (e.g. "selector") named by the call (e.g. "select"). */
export function clientSpan(backend: string, call: string): CallSpan {
  const { span, ctx } = startSpan(`${backend}/${call}`, SpanKind.CLIENT, { 'rpc.system': 'grpc', 'rpc.service': backend, 'rpc.method': call });
  let ended = false;
  return {
    traceparent: span.isRecording() ? traceparentOf(ctx) : '',
    end(error) {
      if (ended) return;
      ended = true;
      endSpan(span, error);
    },
  };
}

/** Starts the server span of a call whose caller sent `traceparent`; `ctx` has it active for the handler. */
export function serverSpan(method: string, traceparent: string | undefined): { ctx: Context; end(error?: unknown): void } {
  const { span, ctx } = startSpan(method, SpanKind.SERVER, { 'rpc.system': 'grpc', 'rpc.method': method }, contextFromTraceparent(traceparent));
  return { ctx, end: (error) => endSpan(span, error) };
}
