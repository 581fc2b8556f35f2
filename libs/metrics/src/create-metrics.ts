import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

// prom-client samples event-loop delay with a libuv timer (perf_hooks.monitorEventLoopDelay) every 10 ms by
// default: 100 wake-ups a second in every idle process. Every 100 ms still gives a scrape interval hundreds of
// samples, and halves to quarters what an idle service costs (measured: provider-call 10 -> 2 ms of CPU/s).
const EVENT_LOOP_SAMPLE_MS = 100;

/** A Prometheus registry with process metrics, labelled with the service name. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  // Gauges named like counters (promtool check metrics refuses them); nodejs_active_handles{type} and
  // nodejs_active_requests{type} carry the same figures by type.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  return registry;
}

/** Serves `GET /metrics` on its own port (for the gRPC services); resolves with the bound port. */
export async function serveMetrics(registry: Registry, port: number, host = '0.0.0.0'): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

/** What a database pool reports; undefined while it has not connected yet. */
export type DbPoolReader = () => { active: number; total: number; limit: number } | undefined;

/**
 * The DB pool gauges, read when scraped: connections in use, open, and the pool's size, so that an alert can
 * say "more than 80 % of the pool in use" (aigw_db_pool_connections{state="active"} / aigw_db_pool_max_connections).
 */
export function registerDbPoolMetrics(registry: Registry, read: DbPoolReader): void {
  new Gauge({
    name: 'aigw_db_pool_connections',
    help: 'Database pool connections, by state (active: running a query; open: active and idle)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const usage = read();
      this.set({ state: 'active' }, usage?.active ?? 0);
      this.set({ state: 'open' }, usage?.total ?? 0);
    },
  });
  new Gauge({
    name: 'aigw_db_pool_max_connections',
    help: 'Size of the database connection pool (its connectionLimit)',
    registers: [registry],
    collect() {
      const usage = read();
      if (usage !== undefined) this.set(usage.limit);
    },
  });
}

/** Counts one cache lookup: `hit` when served from the cache, else a miss (loaded from its source). */
export type CacheLookup = (cache: string, hit: boolean) => void;

/** `aigw_cache_lookups_total{cache, result}`: the hit ratio of each cache, the same metric in every service. */
export function createCacheLookups(registry: Registry): CacheLookup {
  const lookups = new Counter({
    name: 'aigw_cache_lookups_total',
    help: 'Cache lookups by cache and result (hit: served from the cache; miss: loaded from its source)',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
  });
  return (cache, hit) => lookups.inc({ cache, result: hit ? 'hit' : 'miss' });
}
