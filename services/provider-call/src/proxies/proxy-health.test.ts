import { describe, expect, it } from 'vitest';
import { createLogger } from '@aigw/logger';
import type { RedisClient } from '@aigw/redis';
import { ProxyDirectory, type ProxyEntry } from './proxy-directory.js';
import type { ProxyFailureState, ProxyFailureStore } from './proxy-failure-store.js';
import { ProxyHealth } from './proxy-health.js';

const logger = createLogger({ service: 'test', level: 'silent' });

/** An in-memory proxy_pool with the store's semantics. */
function memoryStore(rows: Map<number, ProxyFailureState>): ProxyFailureStore & { writes: number } {
  const store = {
    writes: 0,
    async apply(id: number, reset: boolean, add: number) {
      store.writes++;
      const row = rows.get(id);
      if (row === undefined) return undefined;
      row.failureCount = reset ? add : row.failureCount + add;
      return { ...row };
    },
    async deactivate(id: number) {
      const row = rows.get(id);
      if (row === undefined || !row.isActive) return false;
      row.isActive = false;
      return true;
    },
  };
  return store;
}

async function setup(initialFailures = 0) {
  const rows = new Map([[1, { failureCount: initialFailures, maxFailures: 3, isActive: true }]]);
  const entries: ProxyEntry[] = [{ id: 1, url: 'http://p1', isActive: true, failureCount: initialFailures, maxFailures: 3 }];
  const directory = new ProxyDirectory({ load: async () => entries, logger });
  await directory.refresh();
  const counters = new Map<string, number>();
  const redis = { incrby: async (key: string, by: number) => counters.set(key, (counters.get(key) ?? 0) + by).get(key) } as unknown as RedisClient;
  const disabled: number[][] = [];
  const store = memoryStore(rows);
  const health = new ProxyHealth({ store, directory, redis, logger, flushMs: 60_000, onDisabled: async (ids) => void disabled.push(ids) });
  return { rows, directory, counters, disabled, store, health };
}

describe('ProxyHealth', () => {
  it('counts requests and failures in Redis, one write per counter and flush', async () => {
    const { health, counters } = await setup();
    health.requested(1);
    health.requested(1);
    health.failed(1);
    await health.flush();
    expect(counters.get('stats:proxy:{1}:requests')).toBe(2);
    expect(counters.get('stats:proxy:{1}:failures')).toBe(1);
  });

  it('adds failures in one batched write and disables the proxy at max_failures', async () => {
    const { health, rows, disabled, store, directory } = await setup(1);
    health.failed(1);
    health.failed(1);
    await health.flush();
    expect(store.writes).toBe(1);
    expect(rows.get(1)).toEqual({ failureCount: 3, maxFailures: 3, isActive: false });
    expect(disabled).toEqual([[1]]);
    expect((await directory.get(1))?.isActive).toBe(false);
  });

  it('lets a success wipe the failures before it', async () => {
    const { health, rows, disabled } = await setup(2);
    health.failed(1);
    health.succeeded(1);
    health.failed(1);
    await health.flush();
    expect(rows.get(1)?.failureCount).toBe(1);
    expect(disabled).toEqual([]);
  });

  it('writes nothing for successes of a proxy without failures', async () => {
    const { health, store } = await setup(0);
    health.succeeded(1);
    health.succeeded(1);
    await health.flush();
    expect(store.writes).toBe(0);
  });
});
