import { Router } from 'express';
import { checkReadiness, type DependencyCheck } from '../observability/readiness.js';

export interface HealthDeps {
  checks: readonly DependencyCheck[];
  /** False while shutting down, so load balancers stop sending before the listener closes. */
  accepting: () => boolean;
}

/** /healthz (alive) and /readyz (dependencies reachable); /metrics is on METRICS_PORT only, never the client port. */
export function healthRoutes({ checks, accepting }: HealthDeps): Router {
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
  return router;
}
