import { describe, expect, it } from 'vitest';
import type { Credential } from '@aigw/proto';
import { CredentialCache } from './credential-cache.js';

function setup(expiresAtMs = 0) {
  let now = 1_000_000;
  const fetched: number[] = [];
  const hits: boolean[] = [];
  const cache = new CredentialCache(
    async (id): Promise<Credential> => {
      fetched.push(id);
      return { headerName: 'authorization', headerValue: `Bearer ${id}-${fetched.length}`, expiresAtMs };
    },
    { maxAgeMs: 60_000, now: () => now, onLookup: (hit) => hits.push(hit) },
  );
  return { cache, fetched, hits, advance: (ms: number) => (now += ms), now: () => now };
}

describe('CredentialCache', () => {
  it('reuses a credential for at most maxAge, reporting hits and misses', async () => {
    const { cache, fetched, hits, advance } = setup();
    await cache.get(1, Infinity);
    await cache.get(1, Infinity);
    expect(fetched).toEqual([1]);
    advance(60_001);
    await cache.get(1, Infinity);
    expect(fetched).toEqual([1, 1]);
    // Past maxAge the old credential still answers (refreshed behind it): a hit, as the caller did not wait.
    expect(hits).toEqual([false, true, true]);
  });

  it('stops using a token five minutes before it expires', async () => {
    const { cache, fetched } = setup(1_000_000 + 5 * 60_000 + 10_000);
    const first = await cache.get(1, Infinity);
    expect(first.headerValue).toBe('Bearer 1-1');
    await cache.get(1, Infinity);
    expect(fetched).toHaveLength(1);
  });

  it('does not keep a token that is already inside the margin', async () => {
    const { cache, fetched } = setup(1_000_000 + 60_000);
    await cache.get(1, Infinity);
    await cache.get(1, Infinity);
    expect(fetched).toHaveLength(2);
  });

  it('drops one account on demand and shares concurrent fetches', async () => {
    const { cache, fetched } = setup();
    await Promise.all([cache.get(1, Infinity), cache.get(1, Infinity), cache.get(2, Infinity)]);
    expect(fetched).toEqual([1, 2]);
    cache.drop(1);
    expect((await cache.get(1, Infinity)).headerValue).toBe('Bearer 1-3');
    await cache.get(2, Infinity);
    expect(fetched).toEqual([1, 2, 1]);
  });

  it('does not keep a fetch that a drop() overtook', async () => {
    const { cache, fetched } = setup();
    const pending = cache.get(1, Infinity);
    cache.drop(1);
    await pending;
    await cache.get(1, Infinity);
    expect(fetched).toEqual([1, 1]);
  });

  it('hands out a still-valid credential while auth fails, counting each use, and waits for auth once it has expired', async () => {
    let now = 1_000_000;
    let authUp = true;
    const stale: number[] = [];
    const cache = new CredentialCache(
      async (id): Promise<Credential> => {
        if (!authUp) throw new Error('DEADLINE_EXCEEDED');
        return { headerName: 'authorization', headerValue: `Bearer ${id}`, expiresAtMs: now + 20 * 60_000 };
      },
      { maxAgeMs: 60_000, now: () => now, onStaleServed: () => stale.push(1) },
    );
    await cache.get(1, Infinity);
    authUp = false;
    now += 10 * 60_000;
    expect((await cache.get(1, Infinity)).headerValue).toBe('Bearer 1');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await cache.get(1, Infinity)).headerValue).toBe('Bearer 1');
    expect(stale).toHaveLength(1);
    now += 10 * 60_000 - 29_000; // 29 s left: too little to hand out
    await expect(cache.get(1, Infinity)).rejects.toThrow('DEADLINE_EXCEEDED');
  });

  it('uses a credential without an expiry for staleMaxMs after its last fetch while auth fails', async () => {
    let now = 0;
    let authUp = true;
    const cache = new CredentialCache(
      async (): Promise<Credential> => {
        if (!authUp) throw new Error('UNAVAILABLE');
        return { headerName: 'x-api-key', headerValue: 'k', expiresAtMs: 0 };
      },
      { maxAgeMs: 60_000, staleMaxMs: 600_000, now: () => now },
    );
    await cache.get(1, Infinity);
    authUp = false;
    now = 599_000;
    expect((await cache.get(1, Infinity)).headerValue).toBe('k');
    now = 600_001;
    await expect(cache.get(1, Infinity)).rejects.toThrow('UNAVAILABLE');
  });
});
