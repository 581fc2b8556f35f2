import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';

// prom-client samples event-loop delay with a libuv timer (perf_hooks.monitorEventLoopDelay) every 10 ms by
// default: 100 wake-ups a second in every idle process. Every 100 ms still gives a scrape interval hundreds of
// samples, and halves to quarters what an idle service costs (measured: provider-call 10 -> 2 ms of CPU/s).
const EVENT_LOOP_SAMPLE_MS = 100;

/** A Prometheus registry with process metrics, labelled with the service name. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
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
