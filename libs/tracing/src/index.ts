export { startTracing, tracingEnabled, type Tracing } from './setup.js';
export {
  context,
  contextFromTraceparent,
  endSpan,
  injectTraceHeaders,
  SpanKind,
  SpanStatusCode,
  startSpan,
  trace,
  traceparentOf,
  tracer,
  withContext,
  type Attributes,
  type Context,
  type Span,
} from './spans.js';
