import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { createRegistry, serveMetrics } from './create-metrics.js';

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
});
