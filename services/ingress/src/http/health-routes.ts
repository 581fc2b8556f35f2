import { Router } from 'express';
import { checkReadiness, type DependencyCheck } from '../observability/readiness.js';
import type { IngressMetrics } from '../observability/ingress-metrics.js';

export interface HealthDeps {
  checks: readonly DependencyCheck[];
  /** False while shutting down, so load balancers stop sending before the listener closes. */
  accepting: () => boolean;
  metrics: IngressMetrics;
}

/** /healthz (alive), /readyz (dependencies reachable), /metrics (Prometheus). */
export function healthRoutes({ checks, accepting, metrics }: HealthDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    // Shutting down: not ready at once, without waiting on dependency checks that may be slow right then.
    if (!accepting()) {
      res.status(503).json({ status: 'not_ready', failing: ['shutting_down'] });
      return;
    }
    const { ready, failing } = await checkReadiness(checks);
    res.status(ready ? 200 : 503).json(ready ? { status: 'ready' } : { status: 'not_ready', failing });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
