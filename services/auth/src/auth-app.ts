import { Agent } from 'undici';
import { onConfigChanged, publishConfigChanged, type BusNames, type NatsConnection } from '@aigw/bus';
import type { PrismaClient } from '@aigw/db';
import { egressConnector, type EgressPolicy } from '@aigw/egress';
import type { ServiceBinding } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import type { Registry } from '@aigw/metrics';
import { RedisOutage, type RedisClient } from '@aigw/redis';
import type { CredentialCipher } from '@aigw/secrets';
import { AccountStore } from './credentials/account-store.js';
import { CredentialService } from './credentials/credential-service.js';
import { createAuthMetrics, NO_AUTH_METRICS } from './observability/auth-metrics.js';
import { OAuthTokens, type OAuthTokenSettings } from './oauth/oauth-tokens.js';
import { RedisTokenCache } from './oauth/redis-token-cache.js';
import { RefreshLock } from './oauth/refresh-lock.js';
import { requestRefreshGrant } from './oauth/token-endpoint.js';
import { createServer } from './server.js';

export interface AuthAppDeps {
  prisma: PrismaClient;
  redis: RedisClient;
  nc: NatsConnection;
  names: BusNames;
  cipher: CredentialCipher;
  logger: Logger;
  oauth: OAuthTokenSettings & { lockTtlMs: number };
  credentialCacheTtlMs: number;
  /** Which token endpoints may be connected to (EGRESS_ALLOW, EGRESS_ALLOW_PRIVATE), checked after DNS resolution. */
  egress: EgressPolicy;
  /** Where the refresh and fallback counters go (none in tests that do not look). */
  registry?: Registry;
}

export interface AuthApp {
  binding: ServiceBinding;
  credentials: CredentialService;
  /** Stops the config subscription and closes the token endpoints' connection pool; other connections belong to the caller. */
  close(): void;
}

/** Wires credential loading, the OAuth token caches and config-change handling to their connections. */
export function createAuthApp(deps: AuthAppDeps): AuthApp {
  const store = new AccountStore(deps.prisma, deps.cipher);
  const tokenEndpoints = new Agent({ connect: egressConnector(deps.egress) });
  const oauth = new OAuthTokens({
    store,
    shared: new RedisTokenCache(deps.redis, deps.oauth.marginMs),
    lock: new RefreshLock(deps.redis, deps.oauth.lockTtlMs),
    logger: deps.logger,
    settings: deps.oauth,
    grant: (accountId, oauth, timeoutMs) => requestRefreshGrant(accountId, oauth, timeoutMs, tokenEndpoints),
    // One line when Redis goes away and one when it is back, however many calls did without it meanwhile.
    outage: new RedisOutage({
      onDown: (error) =>
        deps.logger.warn({ error: (error as Error)?.message }, 'redis unreachable: serving tokens from memory, refreshing without the cross-replica lock'),
      onUp: (downMs) => deps.logger.info({ downMs }, 'redis answers again'),
    }),
    metrics: deps.registry === undefined ? NO_AUTH_METRICS : createAuthMetrics(deps.registry),
  });
  const credentials = new CredentialService(store, oauth, deps.credentialCacheTtlMs);
  const subscription = onConfigChanged(deps.nc, deps.names, (change) => {
    if (change.entity === 'account') credentials.forget(change.id);
    else if (change.entity === 'provider') credentials.forget();
  });
  const binding = createServer({
    credentials,
    logger: deps.logger,
    // Sibling replicas (and ingress's credential cache) still hold the rejected token in memory.
    onInvalidated: (accountId) => publishConfigChanged(deps.nc, deps.names, { entity: 'account', id: accountId }),
  });
  return {
    binding,
    credentials,
    close: () => {
      subscription.unsubscribe();
      tokenEndpoints.close().catch(() => undefined);
    },
  };
}
