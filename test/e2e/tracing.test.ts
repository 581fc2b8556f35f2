import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { anthropicBody, chat, messages, openaiBody, type HttpResult } from './support/http.js';
import { parseSse } from './support/sse.js';

// Issue 16: one request through the services can be followed. Every service exports its spans over OTLP/HTTP to an
// in-process receiver; a request, a stream and a failover each make one trace with spans from ingress, selector,
// auth and provider-call, every parent link resolvable, and the upstream receives that trace's traceparent.

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean | undefined>;
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

/** OTLP/JSON ids are hex (the spec's JSON mapping); base64 is accepted too, as protobuf-JSON writes bytes. */
function hexId(id: string | undefined): string {
  if (id === undefined || id === '') return '';
  return /^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

function valueOf(value: OtlpValue | undefined): string | number | boolean | undefined {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.boolValue;
}

function attributesOf(list: { key: string; value?: OtlpValue }[] | undefined): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

/** A node HTTP server taking OTLP/HTTP JSON exports at POST /v1/traces. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly contentTypes = new Set<string>();
  readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      this.contentTypes.add(String(req.headers['content-type']));
      this.#take(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  #take(request: ExportRequest): void {
    for (const resourceSpans of request.resourceSpans ?? []) {
      const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            service,
            traceId: hexId(span.traceId),
            spanId: hexId(span.spanId),
            parentSpanId: hexId(span.parentSpanId),
            name: span.name,
            kind: span.kind,
            startNs: BigInt(span.startTimeUnixNano),
            endNs: BigInt(span.endTimeUnixNano),
            attributes: attributesOf(span.attributes),
          });
        }
      }
    }
  }
}

interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value?: OtlpValue }[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        startTimeUnixNano: string | number;
        endTimeUnixNano: string | number;
        attributes?: { key: string; value?: OtlpValue }[];
      }[];
    }[];
  }[];
}

const SERVICES = ['ingress', 'selector', 'auth', 'provider-call'];

let ctx: E2eContext;
const receiver = new OtlpReceiver();

beforeAll(async () => {
  const endpoint = await receiver.start();
  ctx = await startE2eStack('tracing', {
    env: {
      all: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '50' },
      // Every request asks auth for its credential, so that each trace has auth's span.
      ingress: { CREDENTIAL_CACHE_MAX_MS: '1' },
    },
  });
});

afterAll(async () => {
  await ctx?.teardown();
  await new Promise((resolve) => receiver.server.close(resolve));
});

/** The trace of the request `response` answered, once every span of the request path has arrived. */
async function traceOf(response: HttpResult, upstreamCalls: number, services = SERVICES): Promise<ReceivedSpan[]> {
  return eventually(async () => {
    const root = receiver.spans.find((span) => span.service === 'ingress' && span.attributes['aigw.request_id'] === response.requestId);
    if (root === undefined) throw new Error(`no ingress span for request ${response.requestId} yet`);
    const spans = receiver.trace(root.traceId);
    const upstream = spans.filter((span) => span.service === 'provider-call' && span.kind === SPAN_KIND_CLIENT);
    const missing = services.filter((service) => !spans.some((span) => span.service === service && span.kind === SPAN_KIND_SERVER));
    if (missing.length > 0 || upstream.length < upstreamCalls) throw new Error(`trace incomplete: ${missing.join(', ')} / ${upstream.length} upstream calls`);
    return spans;
  });
}

/** Every span's parent is in the trace, except the request's own span, which is the root. */
function expectLinked(spans: ReceivedSpan[]): ReceivedSpan {
  const ids = new Set(spans.map((span) => span.spanId));
  const roots = spans.filter((span) => span.parentSpanId === '');
  expect(roots.map((span) => [span.service, span.kind])).toEqual([['ingress', SPAN_KIND_SERVER]]);
  for (const span of spans) if (span.parentSpanId !== '') expect(ids.has(span.parentSpanId), `parent of ${span.service} ${span.name}`).toBe(true);
  return roots[0] as ReceivedSpan;
}

function parentOf(spans: ReceivedSpan[], span: ReceivedSpan): ReceivedSpan | undefined {
  return spans.find((candidate) => candidate.spanId === span.parentSpanId);
}

/** Each backend's server span is the child of ingress's client span for that call. */
function expectServerSpansUnderIngressCalls(spans: ReceivedSpan[], services = ['selector', 'auth', 'provider-call']): void {
  for (const service of services) {
    const servers = spans.filter((span) => span.service === service && span.kind === SPAN_KIND_SERVER);
    expect(servers.length, service).toBeGreaterThan(0);
    for (const server of servers) {
      const parent = parentOf(spans, server);
      expect({ service: parent?.service, kind: parent?.kind, backend: parent?.attributes['rpc.service'] }).toEqual({
        service: 'ingress',
        kind: SPAN_KIND_CLIENT,
        backend: service,
      });
    }
  }
}

/** The upstream calls: children of provider-call's server spans, and what the upstream received names them. */
function expectUpstreamCalls(spans: ReceivedSpan[], model: string, statuses: number[]): void {
  const upstream = spans.filter((span) => span.service === 'provider-call' && span.kind === SPAN_KIND_CLIENT).sort((a, b) => Number(a.startNs - b.startNs));
  expect(upstream.map((span) => span.attributes['http.response.status_code'])).toEqual(statuses);
  for (const span of upstream) expect(parentOf(spans, span)).toMatchObject({ service: 'provider-call', kind: SPAN_KIND_SERVER });
  const received = ctx.stack.emulators.upstream
    .requests()
    .filter((request) => request.model === model)
    .map((request) => request.headers?.['traceparent']);
  expect(received).toEqual(upstream.map((span) => `00-${span.traceId}-${span.spanId}-01`));
}

describe('tracing across the services', () => {
  it('follows a request from ingress through selector, auth and provider-call to the upstream', async () => {
    const model = 'claude-trace-unary';
    const response = await chat(ctx.stack, openaiBody(model, 'trace me'));
    expect(response.status, response.text).toBe(200);
    const spans = await traceOf(response, 1);
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    const root = expectLinked(spans);
    expect(root.attributes).toMatchObject({ 'gen_ai.request.model': model, 'http.response.status_code': 200, 'aigw.protocol': 'openai' });
    expectServerSpansUnderIngressCalls(spans);
    expectUpstreamCalls(spans, model, [200]);
    // Nothing of the request's body or the client's key is in any span.
    const text = JSON.stringify(spans, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
    expect(text).not.toContain('trace me');
    expect(text).not.toContain(ctx.stack.demoKey);
    expect([...receiver.contentTypes]).toEqual(['application/json']);
  });

  it('keeps a stream in one trace whose spans end when the stream ends', async () => {
    const model = 'claude-trace-stream';
    const response = await messages(ctx.stack, anthropicBody(model, 'stream me', { stream: true }));
    expect(response.status, response.text).toBe(200);
    expect(parseSse(response.text).at(-1)?.event).toBe('message_stop');
    const spans = await traceOf(response, 1);
    const root = expectLinked(spans);
    expect(root.attributes).toMatchObject({ 'aigw.stream': true, 'http.response.status_code': 200 });
    expectServerSpansUnderIngressCalls(spans);
    expectUpstreamCalls(spans, model, [200]);
    // The streamed call's spans cover the stream: the upstream's body is read inside provider-call's span, and
    // ingress's call span ends within the request's.
    const server = spans.find((span) => span.service === 'provider-call' && span.kind === SPAN_KIND_SERVER);
    const upstream = spans.find((span) => span.service === 'provider-call' && span.kind === SPAN_KIND_CLIENT);
    const call = spans.find((span) => span.service === 'ingress' && span.attributes['rpc.service'] === 'provider-call');
    expect(server?.name).toMatch(/invokeStream/i);
    // The SDK anchors each span's clock to Date.now() when it starts, so spans of one process may be a millisecond apart.
    const slack = 2_000_000n;
    const ends = { upstream: upstream!.endNs, server: server!.endNs, call: call!.endNs, root: root.endNs };
    const shown = JSON.stringify(ends, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(ends.upstream <= ends.server + slack, shown).toBe(true);
    expect(ends.server <= ends.call + slack, shown).toBe(true);
    expect(ends.call <= ends.root + slack, shown).toBe(true);
  });

  it('shows every attempt of a failover in the request trace', async () => {
    const model = 'claude-trace-failover';
    ctx.stack.emulators.upstream.script({ match: { model }, status: 429, retryAfterSeconds: 60, times: 1 });
    const response = await chat(ctx.stack, openaiBody(model, 'fail over'));
    expect(response.status, response.text).toBe(200);
    const spans = await traceOf(response, 2);
    const root = expectLinked(spans);
    expect(root.attributes['aigw.attempts']).toBe(2);
    const attempts = spans.filter((span) => span.name === 'attempt').sort((a, b) => Number(a.startNs - b.startNs));
    expect(attempts.map((span) => [span.attributes['aigw.attempt'], span.attributes['aigw.attempt.result']])).toEqual([
      [1, 'rejected'],
      [2, 'answered'],
    ]);
    expect(attempts[0]?.attributes['aigw.account_id']).not.toBe(attempts[1]?.attributes['aigw.account_id']);
    expectServerSpansUnderIngressCalls(spans);
    // Each attempt's provider-call span is under that attempt.
    const invokes = spans.filter((span) => span.service === 'ingress' && span.attributes['rpc.service'] === 'provider-call');
    expect(invokes.map((span) => parentOf(spans, span)?.attributes['aigw.attempt']).sort()).toEqual([1, 2]);
    expect(spans.filter((span) => span.service === 'selector' && span.name.endsWith('select'))).toHaveLength(2);
    expectUpstreamCalls(spans, model, [429, 200]);
  });

  it('keeps concurrent requests on the shared multiplexed streams in traces of their own', async () => {
    const model = 'claude-trace-concurrent';
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => chat(ctx.stack, openaiBody(model, `together ${i}`))));
    for (const response of responses) expect(response.status, response.text).toBe(200);
    // Concurrent loads of one account's credential share a single auth call: auth is left out here.
    const traces = await Promise.all(responses.map((response) => traceOf(response, 1, ['ingress', 'selector', 'provider-call'])));
    expect(new Set(traces.map((spans) => spans[0]?.traceId)).size).toBe(responses.length);
    for (const spans of traces) {
      expectLinked(spans);
      expectServerSpansUnderIngressCalls(spans, ['selector', 'provider-call']);
      expect(spans.filter((span) => span.service === 'provider-call' && span.kind === SPAN_KIND_SERVER)).toHaveLength(1);
    }
    // What each upstream call received belongs to one of the traces, each trace's to its own call.
    const sent = ctx.stack.emulators.upstream.requests().filter((request) => request.model === model).map((request) => request.headers?.['traceparent']?.split('-')[1]);
    expect(new Set(sent)).toEqual(new Set(traces.map((spans) => spans[0]?.traceId)));
  });
});
