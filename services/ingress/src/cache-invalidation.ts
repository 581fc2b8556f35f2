import type { ConfigChange } from '@aigw/bus';
import type { Logger } from '@aigw/logger';
import type { ApiKeyCache } from './keys/api-key-cache.js';
import type { CredentialCache } from './proxying/credential-cache.js';
import type { RouteCache } from './routing/route-cache.js';

export interface IngressCaches {
  apiKeys: ApiKeyCache;
  routes: RouteCache;
  credentials: CredentialCache;
}

/** What a configuration change (from any replica's admin API) does to this replica's caches. */
export function invalidateOnChange(caches: IngressCaches, logger: Logger): (change: ConfigChange) => void {
  const refreshRoutes = () => caches.routes.refresh().catch((error: unknown) => logger.warn({ err: error }, 'route refresh failed'));
  return (change) => {
    switch (change.entity) {
      case 'api_key':
        // Also a new key: its hash may sit in the negative cache.
        caches.apiKeys.clear();
        break;
      case 'route':
      case 'provider':
        refreshRoutes();
        break;
      case 'account':
        if (change.id === undefined) caches.credentials.clear();
        else caches.credentials.drop(change.id);
        // Model lists show only providers with an active account; the route table carries that.
        refreshRoutes();
        break;
      case 'proxy':
        // Proxy URLs are provider-call's concern; the bindings it changes arrive as 'account' changes.
        break;
    }
  };
}
