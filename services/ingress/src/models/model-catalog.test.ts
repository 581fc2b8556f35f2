import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../test/support/fake-deps.js';
import type { RoutedProvider } from '../routing/route-table.js';
import { ModelCatalog, type ModelCatalogOptions } from './model-catalog.js';
import type { DiscoveredModel } from './model-listing.js';

const model = (id: string): DiscoveredModel => ({ id, displayName: id, inputTokenLimit: 0, outputTokenLimit: 0, createdAtMs: 0 });
const openai: RoutedProvider = { providerId: 2, providerName: 'openai' };
const glm: RoutedProvider = { providerId: 3, providerName: 'glm' };

/** A controllable upstream per provider: each fetch waits for the test to answer it. */
function harness(options: Partial<ModelCatalogOptions> = {}) {
  let now = 1_000_000;
  const pending: Array<{ provider: string; resolve: (models: DiscoveredModel[]) => void; reject: (error: Error) => void }> = [];
  let providers = [openai, glm];
  const catalog = new ModelCatalog({
    discover: (provider) => new Promise((resolve, reject) => pending.push({ provider: provider.providerName, resolve, reject })),
    providers: () => providers,
    refreshMs: 60_000,
    staleMaxMs: 600_000,
    firstWaitMs: 50,
    fetchTimeoutMs: 5_000,
    retryMs: 10_000,
    logger: silentLogger,
    now: () => now,
    ...options,
  });
  const answer = (provider: string, models: string[] | Error) => {
    const index = pending.findIndex((p) => p.provider === provider);
    const [call] = pending.splice(index, 1);
    if (models instanceof Error) call!.reject(models);
    else call!.resolve(models.map(model));
  };
  const ids = async () => {
    const lists = await catalog.lists();
    return Object.fromEntries([...lists].map(([id, models]) => [id, [...models.keys()]]));
  };
  return {
    catalog,
    pending,
    answer,
    ids,
    advance: (ms: number) => (now += ms),
    setProviders: (list: RoutedProvider[]) => (providers = list),
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ModelCatalog', () => {
  it('fetches each provider on first need, once for concurrent callers, and waits for it briefly', async () => {
    const h = harness();
    const first = h.ids();
    const second = h.ids();
    expect(h.pending.map((p) => p.provider)).toEqual(['openai', 'glm']);
    h.answer('openai', ['gpt-4o']);
    h.answer('glm', ['glm-4.6']);
    expect(await first).toEqual({ 2: ['gpt-4o'], 3: ['glm-4.6'] });
    expect(await second).toEqual({ 2: ['gpt-4o'], 3: ['glm-4.6'] });
  });

  it('answers without a provider whose first fetch is slow, after at most firstWaitMs', async () => {
    const h = harness();
    const listing = h.ids();
    h.answer('openai', ['gpt-4o']);
    expect(await listing).toEqual({ 2: ['gpt-4o'] });
    h.answer('glm', ['glm-4.6']);
    await flush();
    expect(await h.ids()).toEqual({ 2: ['gpt-4o'], 3: ['glm-4.6'] });
  });

  it('answers from the cache and refreshes in the background once a list is due', async () => {
    const h = harness();
    const first = h.ids();
    h.answer('openai', ['gpt-4o']);
    h.answer('glm', ['glm-4.6']);
    await first;
    h.advance(30_000);
    expect(await h.ids()).toEqual({ 2: ['gpt-4o'], 3: ['glm-4.6'] });
    expect(h.pending).toHaveLength(0);
    h.advance(31_000);
    expect(await h.ids()).toEqual({ 2: ['gpt-4o'], 3: ['glm-4.6'] }); // answered at once, old lists
    expect(h.pending.map((p) => p.provider)).toEqual(['openai', 'glm']);
    h.answer('openai', ['gpt-4o', 'gpt-5']);
    h.answer('glm', ['glm-4.6']);
    await flush();
    expect((await h.ids())[2]).toEqual(['gpt-4o', 'gpt-5']);
  });

  it('serves a list stale while fetches fail, for at most staleMaxMs, retrying every retryMs', async () => {
    const h = harness();
    const first = h.ids();
    h.answer('openai', ['gpt-4o']);
    h.answer('glm', ['glm-4.6']);
    await first;
    h.advance(61_000);
    await h.ids();
    h.answer('openai', new Error('upstream down'));
    h.answer('glm', ['glm-4.6']);
    await flush();
    expect((await h.ids())[2]).toEqual(['gpt-4o']);
    expect(h.pending).toHaveLength(0); // retried only after retryMs
    h.advance(10_000);
    await h.ids();
    expect(h.pending.map((p) => p.provider)).toEqual(['openai']);
    h.answer('openai', new Error('still down'));
    await flush();
    h.advance(600_000);
    const lists = await h.ids();
    expect(lists[2]).toBeUndefined();
  });

  it('refreshes every provider on a configuration change and forgets providers no longer routed', async () => {
    const h = harness();
    const first = h.ids();
    h.answer('openai', ['gpt-4o']);
    h.answer('glm', ['glm-4.6']);
    await first;
    const forced = h.catalog.refresh(true);
    expect(h.pending.map((p) => p.provider)).toEqual(['openai', 'glm']);
    h.answer('openai', ['gpt-4o', 'gpt-4.1']);
    h.answer('glm', ['glm-4.6']);
    await forced;
    expect((await h.ids())[2]).toEqual(['gpt-4o', 'gpt-4.1']);
    h.setProviders([openai]);
    await h.catalog.refresh();
    expect(await h.ids()).toEqual({ 2: ['gpt-4o', 'gpt-4.1'] });
  });

  it('fetches nothing until a client first asks for a list', async () => {
    const h = harness();
    await h.catalog.refresh(true);
    await h.catalog.refresh();
    expect(h.pending).toHaveLength(0);
    expect(h.catalog.cached().size).toBe(0);
    void h.ids();
    expect(h.pending).toHaveLength(2);
  });

  it('keeps the newest answer when a forced fetch overtakes an older one', async () => {
    const h = harness();
    h.setProviders([openai]);
    const first = h.ids();
    h.answer('openai', ['gpt-4o']);
    await first;
    h.advance(61_000);
    void h.catalog.refresh();
    void h.catalog.refresh(true);
    expect(h.pending).toHaveLength(2);
    h.pending[1]!.resolve([model('newest')]);
    await flush();
    h.pending[0]!.resolve([model('older')]);
    await flush();
    expect((await h.ids())[2]).toEqual(['newest']);
  });
});

describe('ModelCatalog.status', () => {
  it('says how old each served list is and whose last fetch failed', async () => {
    const h = harness();
    const first = h.ids();
    h.answer('openai', ['gpt-4o']);
    h.answer('glm', new Error('down'));
    await first;
    h.advance(5_000);
    expect(h.catalog.status()).toEqual([
      { providerName: 'openai', ageMs: 5_000, failing: false },
      { providerName: 'glm', ageMs: undefined, failing: true },
    ]);
  });
});
