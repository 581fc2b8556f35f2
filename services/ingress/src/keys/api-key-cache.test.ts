import { describe, expect, it } from 'vitest';
import { ApiKeyCache, type ApiKeyRecord } from './api-key-cache.js';

function setup() {
  let now = 1_000;
  const rows = new Map<string, ApiKeyRecord>([['h1', { id: 1, rateLimitPerMin: null, revoked: false }]]);
  const lookups: string[] = [];
  const cache = new ApiKeyCache(
    {
      findByHash: async (hash) => {
        lookups.push(hash);
        return rows.get(hash) ?? null;
      },
    },
    { ttlMs: 60_000, negativeTtlMs: 5_000, now: () => now },
  );
  return { cache, rows, lookups, advance: (ms: number) => (now += ms) };
}

describe('ApiKeyCache', () => {
  it('serves known keys from memory until the TTL passes', async () => {
    const { cache, lookups, advance } = setup();
    expect(await cache.lookup('h1')).toMatchObject({ id: 1 });
    expect(await cache.lookup('h1')).toMatchObject({ id: 1 });
    expect(lookups).toEqual(['h1']);
    advance(60_001);
    await cache.lookup('h1');
    expect(lookups).toEqual(['h1', 'h1']);
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
});
