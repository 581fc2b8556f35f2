import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EgressPolicy } from '@aigw/egress';
import { startForwardProxy, type ForwardProxy } from '@aigw/emulators';
import { createLogger } from '@aigw/logger';
import { createRedis, type RedisClient } from '@aigw/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatchers } from '../src/upstream/dispatchers.js';
import { httpProbe, ProxyProber, type DisabledProxy, type ProbeStore } from '../src/proxies/proxy-prober.js';

const logger = createLogger({ service: 'test', level: 'silent' });

/** Disabled proxies in memory, with the store's semantics. */
function memoryStore(disabled: DisabledProxy[]): ProbeStore & { active: Set<number> } {
  const active = new Set<number>();
  return {
    active,
    disabledByFailures: async () => disabled.filter((p) => !active.has(p.id)),
    async reenable(ids) {
      const reenabled = ids.filter((id) => !active.has(id));
      for (const id of reenabled) active.add(id);
      return { reenabled, accountsMoved: reenabled.length };
    },
  };
}

describe('ProxyProber', () => {
  let redis: RedisClient;
  beforeAll(() => {
    redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { keyPrefix: `test:prober:${randomBytes(4).toString('hex')}:` });
  });
  afterAll(async () => {
    await redis.del('lock:proxy-probe');
    redis.disconnect();
  });

  it('re-enables the proxies that answer, and rebinds once for them', async () => {
    const store = memoryStore([
      { id: 1, url: 'http://works' },
      { id: 2, url: 'http://still-dead' },
    ]);
    const rebound: number[][] = [];
    const prober = new ProxyProber({
      store,
      probe: async (proxy) => proxy.id === 1,
      redis,
      logger,
      intervalMs: 60_000,
      onReenabled: async (ids) => void rebound.push(ids),
    });
    await prober.round();
    expect([...store.active]).toEqual([1]);
    expect(rebound).toEqual([[1]]);
    await redis.del('lock:proxy-probe');
  });

  it('probes on one replica per interval (Redis lock)', async () => {
    const probed: string[] = [];
    const replica = (name: string) =>
      new ProxyProber({
        store: memoryStore([{ id: 1, url: 'http://p' }]),
        probe: async () => (probed.push(name), false),
        redis,
        logger,
        intervalMs: 60_000,
        onReenabled: async () => undefined,
      });
    await Promise.all([replica('a').round(), replica('b').round(), replica('c').round()]);
    expect(probed).toHaveLength(1);
    await redis.del('lock:proxy-probe');
  });
});

describe('httpProbe', () => {
  let upstream: Server;
  let proxy: ForwardProxy;
  let dispatchers: Dispatchers;
  let target: string;

  beforeAll(async () => {
    upstream = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/generate_204`;
    proxy = await startForwardProxy({ name: 'probed', username: 'u', password: 'p' });
    dispatchers = new Dispatchers({ connectionsPerHost: 4, keepAliveMs: 1_000, egress: new EgressPolicy({ allow: ['127.0.0.0/8'] }) });
  });
  afterAll(async () => {
    await dispatchers.close();
    await proxy.close();
    upstream.close();
  });

  it('passes a proxy that carries the request, fails one that resets connections or refuses its credentials', async () => {
    const probe = httpProbe(dispatchers, target, 2_000);
    expect(await probe({ id: 1, url: proxy.url })).toBe(true);
    expect(await probe({ id: 2, url: proxy.url.replace('u:p@', 'u:wrong@') })).toBe(false);
    proxy.setFailing(true);
    expect(await probe({ id: 1, url: proxy.url })).toBe(false);
    proxy.setFailing(false);
    expect(await probe({ id: 1, url: proxy.url })).toBe(true);
  });

  it('never probes a target the egress policy refuses', async () => {
    const strict = new Dispatchers({ connectionsPerHost: 1, keepAliveMs: 1_000, egress: new EgressPolicy() });
    try {
      expect(await httpProbe(strict, 'http://169.254.169.254/', 1_000)({ id: 1, url: proxy.url })).toBe(false);
    } finally {
      await strict.close();
    }
  });
});
