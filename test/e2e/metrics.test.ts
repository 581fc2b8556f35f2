import { spawnSync } from 'node:child_process';
import { SERVICE_NAMES } from '@aigw/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { anthropicBody, chat, get, messages, openaiBody, scrape } from './support/http.js';

// Issue 16: every service serves Prometheus metrics on a port of its own (never the client port), each scrape
// passes `promtool check metrics` (names, help, unit conventions), and the figures worth alerting on are there
// after real requests: tokens and cost by provider name, time to first byte, cache hits, selections, DB pool.

let ctx: E2eContext;

/** `promtool check metrics` on one scrape: its complaints ('' when none). */
function promtoolCheck(text: string): string {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('promtool is not installed: apt-get install -y prometheus (as .ci/run does)');
  }
  return `${result.stdout}${result.stderr}`.trim() + (result.status === 0 ? '' : `\n(exit ${result.status})`);
}

/** The value of the sample of `name` that has every label of `labels` (in any order); NaN when none. */
const sample = (text: string, name: string, labels: Record<string, string> = {}): number => {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/gi)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, want]) => found[key] === want)) return Number(match[3]);
  }
  return Number.NaN;
};

beforeAll(async () => {
  ctx = await startE2eStack('metrics');
  for (let i = 0; i < 3; i++) {
    // The first one reasons (the emulator's directive), so that reasoning tokens are counted too.
    expect((await chat(ctx.stack, openaiBody('gpt-4o-mini', `metrics ${i}${i === 0 ? ' [emu thinking=on]' : ''}`))).status).toBe(200);
    expect((await messages(ctx.stack, anthropicBody('glm-4.6', `metrics ${i}`, { stream: true }))).status).toBe(200);
  }
}, 180_000);

afterAll(async () => {
  await ctx?.teardown();
});

describe('metrics on a port of their own', () => {
  it('are not served on the client port', async () => {
    expect((await get(ctx.stack, '/metrics')).status).toBe(404);
  });

  it.each(SERVICE_NAMES)('%s: a scrape passes promtool check metrics and carries the service label and DB pool size', async (service) => {
    const scraped = await scrape(ctx.stack, service);
    expect(scraped.status).toBe(200);
    expect(promtoolCheck(scraped.text)).toBe('');
    expect(scraped.text).toMatch(new RegExp(`^process_resident_memory_bytes\\{service="${service}"\\} \\d+`, 'm'));
    expect(sample(scraped.text, 'aigw_db_pool_max_connections', { service })).toBeGreaterThan(0);
  });

  it('ingress: requests, tokens by kind and cost by provider name, model and key id, time to first byte, cache hits', async () => {
    const keyId = String((await ctx.prisma.apiKey.findFirstOrThrow({ where: { revokedAt: null } })).id);
    const text = (await scrape(ctx.stack, 'ingress')).text;
    expect(sample(text, 'aigw_http_requests_total', { route: '/v1/chat/completions', status: '200' })).toBeGreaterThanOrEqual(3);
    const openai = { provider: 'openai', model: 'gpt-4o-mini', key: keyId };
    expect(sample(text, 'aigw_tokens_total', { ...openai, kind: 'input' })).toBeGreaterThan(0);
    expect(sample(text, 'aigw_tokens_total', { ...openai, kind: 'output' })).toBeGreaterThan(0);
    expect(sample(text, 'aigw_tokens_total', { ...openai, kind: 'reasoning' })).toBeGreaterThan(0);
    expect(sample(text, 'aigw_tokens_total', { provider: 'glm', model: 'glm-4.6', key: keyId, kind: 'output' })).toBeGreaterThan(0);
    expect(sample(text, 'aigw_cost_usd_total', openai)).toBeGreaterThan(0);
    expect(sample(text, 'aigw_http_first_byte_seconds_count', { provider: 'glm', stream: 'true' })).toBe(3);
    expect(sample(text, 'aigw_http_first_byte_seconds_count', { provider: 'openai', stream: 'false' })).toBe(3);
    // The demo key is looked up in MySQL once, then served from memory.
    expect(sample(text, 'aigw_cache_lookups_total', { cache: 'api_key', result: 'miss' })).toBe(1);
    expect(sample(text, 'aigw_cache_lookups_total', { cache: 'api_key', result: 'hit' })).toBe(5);
    expect(sample(text, 'aigw_upstream_attempts_total', { provider: 'glm' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'aigw_grpc_client_calls_total', { target: 'selector.select', code: 'OK' })).toBeGreaterThanOrEqual(6);
    // Streamed calls count too, when they end: the three streamed Anthropic requests.
    expect(sample(text, 'aigw_grpc_client_calls_total', { target: 'provider-call.invokeStream', code: 'OK' })).toBe(3);
    expect(text).not.toMatch(/provider="\d+"/);
    // Every answered request's log event was published to JetStream and acknowledged.
    await eventually(async () => {
      expect(sample((await scrape(ctx.stack, 'ingress')).text, 'aigw_request_log_published_events_total')).toBeGreaterThanOrEqual(6);
    });
    expect(sample(text, 'aigw_request_log_publish_failures_total')).toBe(0);
  });

  it('selector, provider-call and logging: selections, gRPC calls, upstream calls by provider name, consumer lag', async () => {
    const selector = (await scrape(ctx.stack, 'selector')).text;
    expect(sample(selector, 'aigw_selector_selections_total', { provider: 'glm', result: 'chosen' })).toBeGreaterThanOrEqual(3);
    // gRPC calls counted one by one, the multiplexed ones too.
    expect(sample(selector, 'aigw_grpc_server_handled_total', { code: 'OK' })).toBeGreaterThanOrEqual(6);
    const providerCall = (await scrape(ctx.stack, 'provider-call')).text;
    expect(sample(providerCall, 'aigw_grpc_server_handled_total', { code: 'OK' })).toBeGreaterThanOrEqual(1);
    expect(sample(providerCall, 'aigw_provider_call_upstream_requests_total', { provider: 'openai', outcome: '2xx' })).toBeGreaterThanOrEqual(3);
    await eventually(async () => {
      const logging = (await scrape(ctx.stack, 'logging')).text;
      expect(sample(logging, 'aigw_log_events_written_total')).toBeGreaterThanOrEqual(6);
      expect(sample(logging, 'aigw_log_consumer_messages', { state: 'pending' })).toBe(0);
    });
  });
});
