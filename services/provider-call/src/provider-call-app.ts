import { dependencyError } from '@aigw/logger';
import { onConfigChanged, publishConfigChanged, type BusNames, type NatsConnection } from '@aigw/bus';
import type { PrismaClient } from '@aigw/db';
import type { EgressPolicy } from '@aigw/egress';
import type { ServiceBinding } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import type { Registry } from '@aigw/metrics';
import { recalculateAssignments } from '@aigw/proxy-pool';
import type { RedisClient } from '@aigw/redis';
import { createCallMetrics } from './invoke/call-metrics.js';
import { loadProxiesFromDatabase, ProxyDirectory } from './proxies/proxy-directory.js';
import { prismaProxyFailureStore } from './proxies/proxy-failure-store.js';
import { ProxyHealth } from './proxies/proxy-health.js';
import { httpProbe, prismaProbeStore, ProxyProber } from './proxies/proxy-prober.js';
import { createServer } from './server.js';
import { Dispatchers } from './upstream/dispatchers.js';
import { UpstreamClient } from './upstream/upstream-client.js';

export interface ProviderCallAppOptions {
  prisma: PrismaClient;
  redis: RedisClient;
  nc: NatsConnection;
  names: BusNames;
  logger: Logger;
  registry?: Registry;
  upstream: { callTimeoutMs: number; streamIdleTimeoutMs: number; maxConnections: number; keepAliveMs: number };
  proxyRefreshMs: number;
  proxyHealthFlushMs: number;
  /** Probing of proxies disabled after failures (intervalMs 0: none). */
  proxyProbe?: { intervalMs: number; url: string; timeoutMs: number };
  /** Which upstream and proxy hosts may be connected to (EGRESS_ALLOW, EGRESS_ALLOW_PRIVATE). */
  egress: EgressPolicy;
}

export interface ProviderCallApp {
  binding: ServiceBinding;
  /** Stops refreshing, writes pending proxy outcomes, closes the upstream pools (after in-flight calls). */
  close(): Promise<void>;
}

/** Wires the service: proxy pool cache and health, upstream pools, and the gRPC binding. */
export async function createProviderCallApp(options: ProviderCallAppOptions): Promise<ProviderCallApp> {
  const { prisma, redis, nc, names, logger } = options;
  const dispatchers = new Dispatchers({ connectionsPerHost: options.upstream.maxConnections, keepAliveMs: options.upstream.keepAliveMs, egress: options.egress });
  const directory = new ProxyDirectory({ load: loadProxiesFromDatabase(prisma), logger, onLoaded: (urls) => dispatchers.retain(urls) });
  await directory.start(options.proxyRefreshMs);

  // Proxies disabled or back: their accounts rebound (those without room wait, never direct); every replica told.
  const announce = async (ids: number[], what: string, accountsMoved: number) => {
    logger.info({ proxyIds: ids, accountsMoved }, `accounts reassigned after proxies were ${what}`);
    for (const id of ids) publishConfigChanged(nc, names, { entity: 'proxy', id });
    await directory.refresh();
  };
  const health = new ProxyHealth({
    store: prismaProxyFailureStore(prisma),
    directory,
    redis,
    logger,
    flushMs: options.proxyHealthFlushMs,
    onDisabled: async (ids) => announce(ids, 'disabled', (await recalculateAssignments(prisma)).changed),
  });
  const probe = options.proxyProbe;
  const prober =
    probe !== undefined && probe.intervalMs > 0
      ? new ProxyProber({
          store: prismaProbeStore(prisma),
          probe: httpProbe(dispatchers, probe.url, probe.timeoutMs),
          redis,
          logger,
          intervalMs: probe.intervalMs,
          registry: options.registry,
          onReenabled: (ids, accountsMoved) => announce(ids, 're-enabled', accountsMoved),
        })
      : undefined;
  prober?.start();
  const subscription = onConfigChanged(nc, names, (change) => {
    if (change.entity !== 'proxy') return;
    directory.refresh().catch((err: unknown) => logger.warn({ err: dependencyError(err) }, 'proxy refresh failed'));
  });

  const upstream = new UpstreamClient({
    dispatchers,
    proxies: directory,
    health,
    callTimeoutMs: options.upstream.callTimeoutMs,
    streamIdleTimeoutMs: options.upstream.streamIdleTimeoutMs,
  });
  const binding = createServer({ upstream, logger, ...(options.registry ? { metrics: createCallMetrics(options.registry) } : {}) });

  return {
    binding,
    async close() {
      subscription.unsubscribe();
      directory.stop();
      await prober?.stop();
      await health.flush().catch((err: unknown) => logger.warn({ err: dependencyError(err) }, 'final proxy health flush failed'));
      await dispatchers.close();
    },
  };
}
