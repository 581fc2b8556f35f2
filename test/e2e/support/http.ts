import type { ServiceName, Stack } from '@aigw/dev';

// The client side of the tests: plain fetch, as any user of the gateway would do it.

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  requestId: string;
}

export type Credential = { bearer: string } | { apiKey: string } | 'none';

async function send(url: string, init: RequestInit): Promise<HttpResult> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json, requestId: response.headers.get('x-request-id') ?? '' };
}

function authHeaders(credential: Credential): Record<string, string> {
  if (credential === 'none') return {};
  return 'bearer' in credential ? { authorization: `Bearer ${credential.bearer}` } : { 'x-api-key': credential.apiKey };
}

/** POSTs a body (an object is JSON-encoded, a string is sent as is) to an ingress path. */
export function post(stack: Stack, path: string, body: unknown, credential: Credential, headers: Record<string, string> = {}): Promise<HttpResult> {
  return send(`${stack.ingressUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(credential), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** OpenAI Chat Completions with the demo key. */
export function chat(stack: Stack, body: unknown, credential: Credential = { bearer: stack.demoKey }): Promise<HttpResult> {
  return post(stack, '/v1/chat/completions', body, credential);
}

/** Anthropic Messages with the demo key. */
export function messages(stack: Stack, body: unknown, credential: Credential = { apiKey: stack.demoKey }): Promise<HttpResult> {
  return post(stack, '/v1/messages', body, credential, { 'anthropic-version': '2023-06-01' });
}

/** A call to the admin API with the stack's admin token. */
export function admin(stack: Stack, method: string, path: string, body?: unknown): Promise<HttpResult> {
  return send(`${stack.ingressUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The result of a call that must succeed (setting a stack up); throws with the answer otherwise. */
export function ok(result: HttpResult, what: string): HttpResult {
  if (result.status < 200 || result.status > 299) throw new Error(`${what}: HTTP ${result.status} ${result.text}`);
  return result;
}

/** A GET or DELETE on an ingress path, as `credential` (none by default: health endpoints). */
export function request(stack: Stack, method: 'GET' | 'DELETE', path: string, credential: Credential = 'none'): Promise<HttpResult> {
  return send(`${stack.ingressUrl}${path}`, { method, headers: authHeaders(credential) });
}

/** GET on ingress without credentials (health endpoints). */
export function get(stack: Stack, path: string): Promise<HttpResult> {
  return request(stack, 'GET', path);
}

/** A scrape of one service replica's Prometheus endpoint (its own METRICS_PORT, never the client port). */
export function scrape(stack: Stack, service: ServiceName = 'ingress', index = 0): Promise<HttpResult> {
  const url = stack.metricsUrls[service][index];
  if (url === undefined) throw new Error(`no ${service} replica #${index} in this stack`);
  return send(url, { method: 'GET' });
}

/** A small OpenAI chat body. */
export const openaiBody = (model: string, text = 'Hello there', extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: text }],
  ...extra,
});

/** A small Anthropic messages body. */
export const anthropicBody = (model: string, text = 'Hello there', extra: Record<string, unknown> = {}) => ({
  model,
  max_tokens: 256,
  messages: [{ role: 'user', content: text }],
  ...extra,
});

/** Runs `count` calls of `task`, at most `concurrency` at a time, results in call order. */
export async function inBatches<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, j) => task(start + j));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}
