import { Gauge, type Registry } from '@aigw/metrics';
import type { ModelCatalog } from '../models/model-catalog.js';

/**
 * Model-list health on /metrics, read when scraped: how old each provider's served list is, and which
 * providers' last fetch failed (their list is being served stale, or not at all).
 */
export function registerModelListMetrics(registry: Registry, catalog: ModelCatalog): void {
  new Gauge({
    name: 'aigw_model_list_age_seconds',
    help: "Age of the model list served for each provider (absent when none is served)",
    labelNames: ['provider'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { providerName, ageMs } of catalog.status()) if (ageMs !== undefined) this.set({ provider: providerName }, ageMs / 1000);
    },
  });
  new Gauge({
    name: 'aigw_model_list_fetch_failing',
    help: "1 when the last fetch of a provider's upstream model list failed (its list is stale or missing)",
    labelNames: ['provider'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { providerName, failing } of catalog.status()) this.set({ provider: providerName }, failing ? 1 : 0);
    },
  });
}
