import { describe, expect, it } from 'vitest';
import { Registry } from '@aigw/metrics';
import { AffinityOutcome } from '@aigw/proto';
import { createIngressMetrics } from './ingress-metrics.js';

describe('createIngressMetrics', () => {
  it('reports the body bytes held as they are when scraped', async () => {
    let held = 0;
    const metrics = createIngressMetrics(new Registry(), { bodyBytesHeld: () => held });
    expect(await metrics.registry.metrics()).toMatch(/^aigw_http_body_bytes_held 0$/m);
    held = 9_437_184;
    expect(await metrics.registry.metrics()).toMatch(/^aigw_http_body_bytes_held 9437184$/m);
  });

  it('counts what session affinity did per provider, and nothing for requests without it', async () => {
    const metrics = createIngressMetrics(new Registry());
    metrics.countAffinity(3, AffinityOutcome.AFFINITY_OUTCOME_HIT);
    metrics.countAffinity(3, AffinityOutcome.AFFINITY_OUTCOME_HIT);
    metrics.countAffinity(3, AffinityOutcome.AFFINITY_OUTCOME_REBOUND);
    metrics.countAffinity(3, AffinityOutcome.AFFINITY_OUTCOME_NONE);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^aigw_session_affinity_total\{provider="3",outcome="hit"\} 2$/m);
    expect(text).toMatch(/^aigw_session_affinity_total\{provider="3",outcome="rebound"\} 1$/m);
    expect(text).not.toMatch(/outcome="none"/);
  });

  it('leaves the gauge out without a source', async () => {
    expect(await createIngressMetrics(new Registry()).registry.metrics()).not.toContain('aigw_http_body_bytes_held');
  });
});
