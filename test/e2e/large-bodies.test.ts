import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, post, type HttpResult } from './support/http.js';
import { parseSse } from './support/sse.js';

// Issue 12, item 2: bodies above 64 KB take an InvokeStream/Invoke gRPC call of their own instead of the
// multiplexed streams. Whatever the format, streaming or not, a 1 MB body must fail over or fail exactly like a
// small one, and a failure before the first byte must answer at once, not at the request deadline.

let ctx: E2eContext;

const ONE_MB = 1024 * 1024;
/** A prior turn of about 1 MB, so the body is large while the last user text (which the emulator echoes) stays short. */
const bulk = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(ONE_MB / 27));

/** One client format and call shape: how to send a large body, and how to read its answer or error. */
interface Shape {
  name: string;
  stream: boolean;
  send(this: Shape, model: string, body?: unknown): Promise<HttpResult>;
  body(model: string, text: string): unknown;
  /** The answer text the client sees. */
  answer(response: HttpResult): string;
  /** The error the client sees, in its own protocol's shape. */
  errorOf(response: HttpResult): { type: string; message: string };
}

const sseData = (response: HttpResult) =>
  parseSse(response.text)
    .map((e) => e.data)
    .filter((d) => d !== '[DONE]')
    .map((d) => JSON.parse(d) as Record<string, any>);
const geminiText = (parts: Record<string, any>[]) =>
  parts.map((p) => (p['candidates']?.[0]?.content?.parts ?? []).map((x: { text?: string }) => x.text ?? '').join('')).join('');
const openaiError = (r: HttpResult) => (r.json as { error: { type: string; message: string } }).error;
const anthropicError = (r: HttpResult) => {
  const json = r.json as { type: string; error: { type: string; message: string } };
  expect(json.type).toBe('error');
  return json.error;
};
const geminiError = (r: HttpResult) => {
  const { error } = r.json as { error: { code: number; status: string; message: string } };
  expect(error.code).toBe(r.status);
  return { type: error.status, message: error.message };
};

const openai = (stream: boolean): Shape => ({
  name: `OpenAI chat${stream ? ', streaming' : ''}`,
  stream,
  body: (model, text) => ({
    model,
    stream,
    messages: [
      { role: 'user', content: bulk },
      { role: 'assistant', content: 'Noted.' },
      { role: 'user', content: text },
    ],
  }),
  send(this: Shape, model, body = this.body(model, 'large body')) {
    return post(ctx.stack, '/v1/chat/completions', body, { bearer: ctx.stack.demoKey });
  },
  answer: (r) =>
    stream
      ? sseData(r)
          .map((c) => c['choices']?.[0]?.delta?.content ?? '')
          .join('')
      : (r.json as { choices: { message: { content: string } }[] }).choices[0]?.message.content ?? '',
  errorOf: openaiError,
});

const anthropic = (stream: boolean): Shape => ({
  name: `Anthropic messages${stream ? ', streaming' : ''}`,
  stream,
  body: (model, text) => ({
    model,
    max_tokens: 256,
    stream,
    system: bulk,
    messages: [{ role: 'user', content: text }],
  }),
  send(this: Shape, model, body = this.body(model, 'large body')) {
    return post(ctx.stack, '/v1/messages', body, { apiKey: ctx.stack.demoKey }, { 'anthropic-version': '2023-06-01' });
  },
  answer: (r) =>
    stream
      ? sseData(r)
          .map((e) => (e['type'] === 'content_block_delta' ? (e['delta']?.text ?? '') : ''))
          .join('')
      : ((r.json as { content: { text?: string }[] }).content ?? []).map((c) => c.text ?? '').join(''),
  errorOf: anthropicError,
});

const gemini = (method: 'generateContent' | 'streamGenerateContent', sse = false): Shape => ({
  name: `Gemini ${method}${method === 'streamGenerateContent' ? (sse ? ' ?alt=sse' : ' (JSON array)') : ''}`,
  stream: method === 'streamGenerateContent',
  body: (_model, text) => ({
    contents: [
      { role: 'user', parts: [{ text: bulk }] },
      { role: 'model', parts: [{ text: 'Noted.' }] },
      { role: 'user', parts: [{ text }] },
    ],
  }),
  send(this: Shape, model, body = this.body(model, 'large body')) {
    return post(ctx.stack, `/v1beta/models/${model}:${method}${sse ? '?alt=sse' : ''}`, body, 'none', { 'x-goog-api-key': ctx.stack.demoKey });
  },
  answer: (r) => {
    if (method === 'generateContent') return geminiText([r.json as Record<string, any>]);
    return geminiText(sse ? sseData(r) : (r.json as Record<string, any>[]));
  },
  errorOf: geminiError,
});

const SHAPES: Shape[] = [
  openai(true),
  openai(false),
  anthropic(true),
  anthropic(false),
  gemini('streamGenerateContent', true),
  gemini('streamGenerateContent', false),
  gemini('generateContent'),
];

/** A loopback port nothing listens on: connecting to it is refused. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function created(response: HttpResult): Promise<{ id: number; proxyId?: number | null }> {
  expect(response.status, response.text).toBe(201);
  return response.json as { id: number; proxyId?: number | null };
}

/** Runs a request and measures how long the client waited for the whole answer. */
async function timed(run: () => Promise<HttpResult>): Promise<{ response: HttpResult; ms: number }> {
  const started = performance.now();
  const response = await run();
  return { response, ms: performance.now() - started };
}

const slug = (shape: Shape) => shape.name.toLowerCase().replace(/[^a-z]+/g, '-').replace(/-$/, '');

beforeAll(async () => {
  ctx = await startE2eStack('large_bodies');
  const refused = `http://127.0.0.1:${await refusingPort()}/v1`;
  const upstream = `${ctx.stack.emulators.upstream.url}/v1`;

  // "half": its first account (round robin starts there) refuses connections, the second one works.
  await created(await admin(ctx.stack, 'POST', '/providers', { name: 'half-refusing', kind: 'openai', baseUrl: upstream }));
  const accounts = [
    await created(await admin(ctx.stack, 'POST', '/accounts', { provider: 'half-refusing', label: 'refuses', authType: 'api_key', credentials: { apiKey: 'sk-refuses' }, baseUrl: refused, egress: 'direct' })),
    await created(await admin(ctx.stack, 'POST', '/accounts', { provider: 'half-refusing', label: 'works', authType: 'api_key', credentials: { apiKey: 'sk-works' }, egress: 'direct' })),
  ];
  // "all": every account refuses connections.
  await created(await admin(ctx.stack, 'POST', '/providers', { name: 'all-refusing', kind: 'openai', baseUrl: refused }));
  for (const label of ['dead-1', 'dead-2']) {
    accounts.push(await created(await admin(ctx.stack, 'POST', '/accounts', { provider: 'all-refusing', label, authType: 'api_key', credentials: { apiKey: `sk-${label}` }, egress: 'direct' })));
  }
  await created(await admin(ctx.stack, 'POST', '/routes', { pattern: 'half-*', provider: 'half-refusing' }));
  await created(await admin(ctx.stack, 'POST', '/routes', { pattern: 'all-*', provider: 'all-refusing' }));

  // These accounts go out directly (egress 'direct'; the demo proxies are full anyway), so the refusal is a
  // real connect error in provider-call (through a proxy it would be the proxy's 502).
  const rows = await ctx.prisma.account.findMany({ where: { id: { in: accounts.map((a) => a.id) } } });
  expect(rows.map((row) => row.proxyId)).toEqual([null, null, null, null]);

  // Wait until ingress and selector know the new routes and accounts (config-change events).
  await eventually(async () => {
    const response = await openai(false).send('half-warmup', openai(false).body('half-warmup', 'warm up'));
    expect(response.status, response.text).toBe(200);
  });
});

afterAll(async () => {
  await ctx?.teardown();
});

describe('1 MB bodies whose first account refuses the connection fail over at once', () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      const model = `half-${slug(shape)}`;
      const { response, ms } = await timed(() => shape.send(model));
      expect(response.status, response.text.slice(0, 500)).toBe(200);
      expect(shape.answer(response)).toBe(`Hello from ${model}: large body`);
      // "At once" against the failure this guards: a refused connection used to hang until the 120 s gRPC deadline.
      // A generous bound, so that a loaded CI machine does not fail it (speed is the benchmark's business).
      expect(ms).toBeLessThan(20_000);

      const row = await eventually(() => ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId: response.requestId } }));
      expect({ status: row.statusCode, attempts: row.attempts, stream: row.isStream }).toEqual({ status: 200, attempts: 2, stream: shape.stream });
    });
  }
});

describe('1 MB bodies when no account can be reached fail at once, in the client protocol', () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      const { response, ms } = await timed(() => shape.send(`all-${slug(shape)}`));
      expect(response.status, response.text.slice(0, 500)).toBe(502);
      expect(shape.errorOf(response).message).toMatch(/unreachable/i);
      // "At once" against the failure this guards: a refused connection used to hang until the 120 s gRPC deadline.
      // A generous bound, so that a loaded CI machine does not fail it (speed is the benchmark's business).
      expect(ms).toBeLessThan(20_000);
    });
  }
});

describe('invalid 1 MB bodies get a clear 4xx in the client protocol', () => {
  const invalid: Array<[Shape, (model: string) => unknown]> = [
    // `message` for `messages`: the conversation is missing.
    [openai(true), (model) => ({ model, stream: true, message: [{ role: 'user', content: bulk }] })],
    [openai(false), (model) => `{"model":"${model}","messages":[{"role":"user","content":"${bulk}`],
    // No max_tokens, which Anthropic requires.
    [anthropic(true), (model) => ({ model, stream: true, messages: [{ role: 'user', content: bulk }] })],
    [anthropic(false), (model) => ({ model, max_tokens: 256, system: bulk, messages: [] })],
    [gemini('streamGenerateContent', true), () => ({ contents: [{ role: 'wizard', parts: [{ text: bulk }] }] })],
    [gemini('streamGenerateContent', false), () => ({ contents: { text: bulk } })],
    [gemini('generateContent'), () => `{"contents":[{"role":"user","parts":[{"text":"${bulk}`],
  ];
  for (const [shape, body] of invalid) {
    it(shape.name, async () => {
      const { response, ms } = await timed(() => shape.send(`half-${slug(shape)}`, body(`half-${slug(shape)}`)));
      expect(response.status, response.text.slice(0, 500)).toBe(400);
      expect(shape.errorOf(response).message).not.toBe('');
      // "At once" against the failure this guards: a refused connection used to hang until the 120 s gRPC deadline.
      // A generous bound, so that a loaded CI machine does not fail it (speed is the benchmark's business).
      expect(ms).toBeLessThan(20_000);
    });
  }
});
