import { describe, expect, it } from 'vitest';
import { rule } from '../../test/support/fake-deps.js';
import { RouteCache } from './route-cache.js';
import type { RouteRule } from './route-table.js';

describe('RouteCache', () => {
  it('shares one follow-up load between all refreshes asked for during a load', async () => {
    let loads = 0;
    let release: () => void = () => undefined;
    const cache = new RouteCache(async () => {
      loads += 1;
      if (loads === 1) await new Promise<void>((resolve) => (release = resolve));
      return [rule(`m${loads}`)];
    }, () => undefined);
    const first = cache.refresh();
    const during = Array.from({ length: 10 }, () => cache.refresh());
    release();
    await Promise.all([first, ...during]);
    expect(loads).toBe(2);
    expect(cache.listModels().map((m) => m.id)).toEqual(['m2']);
  });

  it('still runs the queued load after a failed one', async () => {
    let calls = 0;
    let fail: (error: Error) => void = () => undefined;
    const tables: RouteRule[][] = [[rule('a')], [], [rule('c')]];
    const cache = new RouteCache(() => {
      calls += 1;
      if (calls === 2) return new Promise<RouteRule[]>((_resolve, reject) => (fail = reject));
      return Promise.resolve(tables[calls - 1]!);
    }, () => undefined);
    await cache.refresh();
    const failing = cache.refresh();
    const queued = cache.refresh();
    fail(new Error('db down'));
    await expect(failing).rejects.toThrow('db down');
    await queued;
    expect(cache.listModels().map((m) => m.id)).toEqual(['c']);
  });

  it('routes by the last table while loads fail or hang, counted, and answers UNAVAILABLE once it is too old', async () => {
    let now = 0;
    let state: 'up' | 'down' | 'stalled' = 'up';
    const stale: number[] = [];
    const cache = new RouteCache(
      () => (state === 'up' ? Promise.resolve([rule('gpt-*')]) : state === 'down' ? Promise.reject(new Error('db down')) : new Promise<never>(() => undefined)),
      () => undefined,
      { timeoutMs: 20, staleIfErrorMs: 60_000, now: () => now, onStaleServed: () => stale.push(1) },
    );
    await cache.refresh();
    cache.resolve('gpt-4o');
    expect(stale).toHaveLength(0);
    state = 'stalled';
    await expect(cache.refresh()).rejects.toThrow('timed out');
    expect(cache.resolve('gpt-4o')).toMatchObject({ model: 'gpt-4o' });
    state = 'down';
    await expect(cache.refresh()).rejects.toThrow('db down');
    now = 60_001;
    expect(() => cache.resolve('gpt-4o')).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    expect(stale).toHaveLength(1);
    state = 'up';
    await cache.refresh();
    expect(cache.resolve('gpt-4o')).toMatchObject({ model: 'gpt-4o' });
  });
});
