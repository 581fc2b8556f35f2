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
    metrics.countAffinity('glm', AffinityOutcome.AFFINITY_OUTCOME_HIT);
    metrics.countAffinity('glm', AffinityOutcome.AFFINITY_OUTCOME_HIT);
    metrics.countAffinity('glm', AffinityOutcome.AFFINITY_OUTCOME_REBOUND);
    metrics.countAffinity('glm', AffinityOutcome.AFFINITY_OUTCOME_NONE);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^aigw_session_affinity_total\{provider="glm",outcome="hit"\} 2$/m);
    expect(text).toMatch(/^aigw_session_affinity_total\{provider="glm",outcome="rebound"\} 1$/m);
    expect(text).not.toMatch(/outcome="none"/);
  });

  it('counts tokens by kind and cost in USD by provider name, upstream model and key id; nothing for a request that used nothing', async () => {
    const metrics = createIngressMetrics(new Registry());
    const labels = { provider: 'openai', model: 'gpt-4o', key: '7' };
    metrics.countUsage(labels, { usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 60, reasoningOutputTokens: 12 }, costMicroUsd: 1_500 });
    metrics.countUsage(labels, { usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteInputTokens: 4 }, costMicroUsd: 500 });
    metrics.countUsage({ ...labels, key: '8' }, { usage: undefined, costMicroUsd: undefined });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^aigw_tokens_total\{provider="openai",model="gpt-4o",key="7",kind="input"\} 110$/m);
    expect(text).toMatch(/^aigw_tokens_total\{provider="openai",model="gpt-4o",key="7",kind="output"\} 25$/m);
    expect(text).toMatch(/^aigw_tokens_total\{provider="openai",model="gpt-4o",key="7",kind="cached"\} 60$/m);
    expect(text).toMatch(/^aigw_tokens_total\{provider="openai",model="gpt-4o",key="7",kind="cache_write"\} 4$/m);
    expect(text).toMatch(/^aigw_tokens_total\{provider="openai",model="gpt-4o",key="7",kind="reasoning"\} 12$/m);
    expect(text).toMatch(/^aigw_cost_usd_total\{provider="openai",model="gpt-4o",key="7"\} 0\.002$/m);
    expect(text).not.toContain('key="8"');
  });

  it('leaves the gauge out without a source', async () => {
    expect(await createIngressMetrics(new Registry()).registry.metrics()).not.toContain('aigw_http_body_bytes_held');
  });
});
