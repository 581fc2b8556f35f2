import { describe, expect, it } from 'vitest';
import { Registry } from '@aigw/metrics';
import { createIngressMetrics } from './ingress-metrics.js';

describe('createIngressMetrics', () => {
  it('reports the body bytes held as they are when scraped', async () => {
    let held = 0;
    const metrics = createIngressMetrics(new Registry(), { bodyBytesHeld: () => held });
    expect(await metrics.registry.metrics()).toMatch(/^aigw_http_body_bytes_held 0$/m);
    held = 9_437_184;
    expect(await metrics.registry.metrics()).toMatch(/^aigw_http_body_bytes_held 9437184$/m);
  });

  it('leaves the gauge out without a source', async () => {
    expect(await createIngressMetrics(new Registry()).registry.metrics()).not.toContain('aigw_http_body_bytes_held');
  });
});
