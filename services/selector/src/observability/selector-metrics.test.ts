import { Registry } from '@aigw/metrics';
import { AffinityOutcome } from '@aigw/proto';
import { describe, expect, it } from 'vitest';
import { createSelectorMetrics } from './selector-metrics.js';

describe('createSelectorMetrics', () => {
  it('counts selections by provider name and result, affinity outcomes of chosen accounts, and cooldowns', async () => {
    const registry = new Registry();
    const metrics = createSelectorMetrics(registry);
    metrics.selected('glm', 'chosen', AffinityOutcome.AFFINITY_OUTCOME_HIT);
    metrics.selected('glm', 'chosen', AffinityOutcome.AFFINITY_OUTCOME_NONE);
    metrics.selected('openai', 'no_account');
    metrics.cooldownSet('glm');
    const text = await registry.metrics();
    expect(text).toMatch(/^aigw_selector_selections_total\{provider="glm",result="chosen"\} 2$/m);
    expect(text).toMatch(/^aigw_selector_selections_total\{provider="openai",result="no_account"\} 1$/m);
    expect(text).toMatch(/^aigw_selector_affinity_total\{provider="glm",outcome="hit"\} 1$/m);
    expect(text).not.toMatch(/outcome="none"/);
    expect(text).toMatch(/^aigw_selector_cooldowns_total\{provider="glm"\} 1$/m);
  });
});
