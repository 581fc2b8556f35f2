import { describe, expect, it } from 'vitest';
import { ApiKeyCache, type ApiKeyCacheOptions, type ApiKeyRecord } from './api-key-cache.js';

function setup(options: Partial<ApiKeyCacheOptions> = {}) {
  let now = 1_000;
  const rows = new Map<string, ApiKeyRecord>([['h1', { id: 1, rateLimitPerMin: null, revoked: false }]]);
  const lookups: string[] = [];
  /** 'down': the store fails at once; 'stalled': it never answers. */
  const store = { state: 'up' as 'up' | 'down' | 'stalled' };
  const stale: number[] = [];
  const cache = new ApiKeyCache(
    {
      findByHash: async (hash) => {
        lookups.push(hash);
        if (store.state === 'down') throw new Error('connect ECONNREFUSED');
        if (store.state === 'stalled') return new Promise<never>(() => undefined);
        return rows.get(hash) ?? null;
      },
    },
    { ttlMs: 60_000, negativeTtlMs: 5_000, busDownTtlMs: 3_000, staleIfErrorMs: 600_000, timeoutMs: 50, onStaleServed: () => stale.push(1), now: () => now, ...options },
  );
  /** Lets background rechecks settle. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { cache, rows, lookups, store, stale, settle, advance: (ms: number) => (now += ms) };
}

describe('ApiKeyCache', () => {
  it('reports each lookup as a hit (answered from memory, a stale-while-revalidate answer too) or a miss', async () => {
    const hits: boolean[] = [];
    const { cache, advance, settle } = setup({ onLookup: (hit) => hits.push(hit) });
    await cache.lookup('h1');
    await cache.lookup('h1');
    advance(60_001);
    await cache.lookup('h1');
    await settle();
    await cache.lookup('nope');
    expect(hits).toEqual([false, true, true, false]);
  });

  it('serves known keys from memory until the TTL passes, then rechecks them', async () => {
    const { cache, lookups, advance, rows, settle } = setup();
    expect(await cache.lookup('h1')).toMatchObject({ id: 1 });
    expect(await cache.lookup('h1')).toMatchObject({ id: 1 });
    expect(lookups).toEqual(['h1']);
    rows.set('h1', { id: 1, rateLimitPerMin: null, revoked: true });
    advance(60_001);
    // Served while rechecked (one request late at most), then the recheck's answer.
    expect(await cache.lookup('h1')).toMatchObject({ revoked: false });
    await settle();
    expect(lookups).toEqual(['h1', 'h1']);
    expect(await cache.lookup('h1')).toMatchObject({ revoked: true });
  });

  it('remembers unknown keys briefly', async () => {
    const { cache, lookups, advance } = setup();
    expect(await cache.lookup('nope')).toBeNull();
    expect(await cache.lookup('nope')).toBeNull();
    expect(lookups).toEqual(['nope']);
    advance(5_001);
    await cache.lookup('nope');
    expect(lookups).toHaveLength(2);
  });

  it('shares one load between concurrent lookups', async () => {
    const { cache, lookups } = setup();
    await Promise.all([cache.lookup('h1'), cache.lookup('h1'), cache.lookup('h1')]);
    expect(lookups).toEqual(['h1']);
  });

  it('sees a key created or revoked after clear()', async () => {
    const { cache, rows } = setup();
    expect(await cache.lookup('h2')).toBeNull();
    rows.set('h2', { id: 2, rateLimitPerMin: 5, revoked: false });
    rows.set('h1', { id: 1, rateLimitPerMin: null, revoked: true });
    cache.clear();
    expect(await cache.lookup('h2')).toMatchObject({ id: 2 });
    expect(await cache.lookup('h1')).toMatchObject({ revoked: true });
  });

  it('keeps serving known keys while the database fails, counts it, and gives up after staleIfErrorMs', async () => {
    const { cache, store, stale, advance, settle } = setup();
    await cache.lookup('h1');
    for (const state of ['down', 'stalled'] as const) {
      store.state = state;
      advance(60_001);
      expect(await cache.lookup('h1')).toMatchObject({ id: 1 });
      await new Promise((resolve) => setTimeout(resolve, 60)); // the recheck fails or times out
      expect(await cache.lookup('h1')).toMatchObject({ id: 1 });
      await settle();
    }
    expect(stale.length).toBeGreaterThanOrEqual(2);
    advance(600_000);
    await expect(cache.lookup('h1')).rejects.toMatchObject({ code: 'UNAVAILABLE', retryAfterMs: 1_000 });
  });

  it('answers a key never seen before with UNAVAILABLE while the database is down or stalled, never a 401 or a hang', async () => {
    const { cache, store } = setup();
    for (const state of ['down', 'stalled'] as const) {
      store.state = state;
      await expect(cache.lookup(`new-${state}`)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    }
  });

  it('rechecks every key after a change event, and serves the old answer only if the database fails', async () => {
    const { cache, rows, store, lookups } = setup();
    await cache.lookup('h1');
    rows.set('h1', { id: 1, rateLimitPerMin: null, revoked: true });
    cache.clear();
    expect(await cache.lookup('h1')).toMatchObject({ revoked: true });
    rows.set('h1', { id: 1, rateLimitPerMin: null, revoked: false });
    cache.clear();
    store.state = 'down';
    expect(await cache.lookup('h1')).toMatchObject({ revoked: true });
    // Once the recheck failed, the entry is served while rechecked in the background, without a wait.
    expect(await cache.lookup('h1')).toMatchObject({ revoked: true });
    expect(lookups.length).toBe(4);
  });

  it('rechecks known keys every busDownTtlMs while change events do not arrive, so a revocation takes hold', async () => {
    const { cache, rows, advance, settle, lookups } = setup();
    await cache.lookup('h1');
    cache.setEventsConnected(false);
    advance(2_000);
    await cache.lookup('h1');
    expect(lookups).toHaveLength(1);
    rows.set('h1', { id: 1, rateLimitPerMin: null, revoked: true });
    advance(1_001);
    await cache.lookup('h1');
    await settle();
    expect(await cache.lookup('h1')).toMatchObject({ revoked: true });
    // Back: the events missed meanwhile are made up for by rechecking everything once.
    rows.set('h1', { id: 1, rateLimitPerMin: null, revoked: false });
    cache.setEventsConnected(true);
    expect(await cache.lookup('h1')).toMatchObject({ revoked: false });
  });

  it('keeps known keys when a flood of unknown ones fills the negative cache', async () => {
    const { cache, lookups } = setup({ maxEntries: 3 });
    await cache.lookup('h1');
    for (let i = 0; i < 10; i++) await cache.lookup(`bad-${i}`);
    await cache.lookup('h1');
    expect(lookups.filter((hash) => hash === 'h1')).toHaveLength(1);
  });
});
