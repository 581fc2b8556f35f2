import express, { Router } from 'express';
import { accountsApi } from './accounts-api.js';
import { requireAdminToken } from './admin-auth.js';
import type { AdminDeps } from './admin-deps.js';
import { adminErrorHandler, adminNotFound } from './admin-errors.js';
import { keysApi } from './keys-api.js';
import { modelRoutesApi } from './model-routes-api.js';
import { providersApi } from './providers-api.js';
import { proxiesApi } from './proxies-api.js';
import { statsApi } from './stats-api.js';

/** The admin API (mounted at /api/v1): token first, then a small JSON body parser, then the resources. */
export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  router.use(requireAdminToken(deps.adminToken));
  router.use(express.json({ limit: '1mb' }));
  router.use('/providers', providersApi(deps));
  router.use('/accounts', accountsApi(deps));
  router.use('/proxies', proxiesApi(deps));
  router.use('/routes', modelRoutesApi(deps));
  router.use('/keys', keysApi(deps));
  router.use('/stats', statsApi(deps));
  router.use(adminNotFound);
  router.use(adminErrorHandler(deps.logger));
  return router;
}
