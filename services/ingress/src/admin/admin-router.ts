import express, { Router } from 'express';
import { accountStateApi, accountStateDocs } from './account-state-api.js';
import { accountsApi, accountsDocs } from './accounts-api.js';
import { requireAdminToken } from './admin-auth.js';
import type { AdminDeps } from './admin-deps.js';
import { adminErrorHandler, adminNotFound } from './admin-errors.js';
import { keysApi, keysDocs } from './keys-api.js';
import { modelRoutesApi, modelRoutesDocs } from './model-routes-api.js';
import { accountsImportApi, accountsImportDocs } from './oauth/accounts-import-api.js';
import { oauthCallbackApi, oauthCallbackDocs, oauthLoginsApi, oauthLoginsDocs } from './oauth/oauth-logins-api.js';
import { adminOpenApi, type DocumentedResource } from './openapi/admin-openapi.js';
import type { ResourceDocs } from './openapi/route-docs.js';
import { providersApi, providersDocs } from './providers-api.js';
import { proxiesApi, proxiesDocs } from './proxies-api.js';
import { statsApi, statsDocs } from './stats-api.js';

/** One admin resource: its mount point, its router and the OpenAPI description of that router's routes. */
export interface AdminResource extends DocumentedResource {
  router: (deps: AdminDeps) => Router;
  docs: ResourceDocs;
  /** Served before the admin token check (its routes are all `public` in the docs). */
  public?: boolean;
}

/** Every admin resource. The OpenAPI document and its completeness test read this same table. */
export const ADMIN_RESOURCES: readonly AdminResource[] = [
  { mount: '/providers', router: providersApi, docs: providersDocs },
  // Before /accounts: its /:id would otherwise take `state` for an id.
  { mount: '/accounts', router: accountStateApi, docs: accountStateDocs },
  { mount: '/accounts', router: accountsApi, docs: accountsDocs },
  // After /accounts: its routes take no POST /import, so the request falls through to here.
  { mount: '/accounts/import', router: accountsImportApi, docs: accountsImportDocs },
  { mount: '/oauth/logins', router: oauthLoginsApi, docs: oauthLoginsDocs },
  { mount: '/oauth/callback', router: oauthCallbackApi, docs: oauthCallbackDocs, public: true },
  { mount: '/proxies', router: proxiesApi, docs: proxiesDocs },
  { mount: '/routes', router: modelRoutesApi, docs: modelRoutesDocs },
  { mount: '/keys', router: keysApi, docs: keysDocs },
  { mount: '/stats', router: statsApi, docs: statsDocs },
];

/** The document itself is public: it describes the API, it holds no data. */
const OPENAPI_DOCS: DocumentedResource = {
  mount: '/openapi.json',
  docs: { tag: 'meta', routes: [{ method: 'get', path: '/', summary: 'This OpenAPI document', public: true }] },
};

export function adminOpenApiDocument() {
  return adminOpenApi([OPENAPI_DOCS, ...ADMIN_RESOURCES], '1');
}

/** The admin API (mounted at /api/v1): public routes, then the token, a small JSON body parser and the resources. */
export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  let document: unknown;
  router.get('/openapi.json', (_req, res) => {
    document ??= adminOpenApiDocument();
    res.json(document);
  });
  for (const resource of ADMIN_RESOURCES.filter((r) => r.public)) router.use(resource.mount, resource.router(deps));
  router.use(requireAdminToken(deps.adminToken));
  router.use(express.json({ limit: '1mb' }));
  for (const resource of ADMIN_RESOURCES.filter((r) => !r.public)) router.use(resource.mount, resource.router(deps));
  router.use(adminNotFound);
  router.use(adminErrorHandler(deps.logger));
  return router;
}
