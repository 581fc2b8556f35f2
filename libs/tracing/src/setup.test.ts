import { describe, expect, it } from 'vitest';
import { tracingEnabled } from './setup.js';
import { SpanKind, startSpan, traceparentOf } from './spans.js';

describe('tracingEnabled', () => {
  it('is off by default and on once an OTLP endpoint is configured', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_SERVICE_NAME: 'ingress' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBe(false);
  });

  it('stays off when the SDK is disabled or the traces exporter is none', () => {
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
  });
});

describe('with tracing off', () => {
  it('records nothing and sends no trace context', () => {
    const { span, ctx } = startSpan('request', SpanKind.SERVER);
    expect(span.isRecording()).toBe(false);
    expect(traceparentOf(ctx)).toBe('');
    span.end();
  });
});
