import type { ConfigChange } from '@aigw/bus';
import type { Logger } from '@aigw/logger';
import type { ApiKeyCache } from './keys/api-key-cache.js';
import type { ModelCatalog } from './models/model-catalog.js';
import { dependencyError } from '@aigw/logger';
import type { CredentialCache } from './proxying/credential-cache.js';
import type { RouteCache } from './routing/route-cache.js';

export interface IngressCaches {
  apiKeys: ApiKeyCache;
  routes: RouteCache;
  credentials: CredentialCache;
  /** Discovered model lists: fetched again when a provider or account changes, first fetched for new routes. */
  models?: ModelCatalog;
}

/** What a configuration change (from any replica's admin API) does to this replica's caches. */
export function invalidateOnChange(caches: IngressCaches, logger: Logger): (change: ConfigChange) => void {
  // Model lists follow the routing table (which providers are routed to and have accounts), so they refresh after it.
  const refreshRoutes = (models?: 'new' | 'all') =>
    caches.routes.refresh().then(
      () => (models === undefined ? undefined : caches.models?.refresh(models === 'all')),
      (error: unknown) => logger.warn({ err: dependencyError(error) }, 'route refresh failed'),
    );
  return (change) => {
    switch (change.entity) {
      case 'api_key':
        // Also a new key: its hash may sit in the negative cache.
        caches.apiKeys.clear();
        break;
      case 'route':
        void refreshRoutes('new');
        break;
      case 'provider':
        // A new base URL or kind may list other models.
        void refreshRoutes('all');
        break;
      case 'account':
        if (change.id === undefined) caches.credentials.clear();
        else caches.credentials.drop(change.id);
        // Model lists show only providers with an active account; the route table carries that. A new or
        // repaired account may see models the old ones could not.
        void refreshRoutes('all');
        break;
      case 'proxy':
        // Proxy URLs are provider-call's concern; the bindings it changes arrive as 'account' changes.
        break;
    }
  };
}
