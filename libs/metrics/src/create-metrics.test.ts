import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import { createRegistry, registerDbPoolMetrics, serveMetrics } from './create-metrics.js';

describe('createRegistry / serveMetrics', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('serves the process and event-loop metrics, labelled with the service, on GET /metrics only', async () => {
    const registry = createRegistry('unit-test');
    const served = await serveMetrics(registry, 0, '127.0.0.1');
    server = served.server;
    // Let the event-loop sampler take a few samples.
    await new Promise((resolve) => setTimeout(resolve, 350));
    const response = await fetch(`http://127.0.0.1:${served.port}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^process_resident_memory_bytes\{service="unit-test"\} \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds\{service="unit-test"\} [\d.e-]+$/m);
    expect(text).not.toMatch(/^nodejs_eventloop_lag_p99_seconds\{service="unit-test"\} 0$/m);
    expect((await fetch(`http://127.0.0.1:${served.port}/other`)).status).toBe(404);
  });

  it('reads the DB pool use when scraped, zero before the pool connected', async () => {
    const registry = new Registry();
    let usage: { active: number; total: number; limit: number } | undefined;
    registerDbPoolMetrics(registry, () => usage);
    expect(await registry.metrics()).toMatch(/^aigw_db_pool_connections\{state="active"\} 0$/m);
    usage = { active: 9, total: 10, limit: 10 };
    const text = await registry.metrics();
    expect(text).toMatch(/^aigw_db_pool_connections\{state="active"\} 9$/m);
    expect(text).toMatch(/^aigw_db_pool_connections\{state="open"\} 10$/m);
    expect(text).toMatch(/^aigw_db_pool_max_connections 10$/m);
  });
});
