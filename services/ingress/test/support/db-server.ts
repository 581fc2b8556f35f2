import { randomBytes } from 'node:crypto';
import type { ConfigChange } from '@aigw/bus';
import { createPrisma, createTestDatabase, type PrismaClient, type TestDatabase, type TestDatabaseOptions } from '@aigw/db';
import { listAssignments, recalculateAssignments } from '@aigw/proxy-pool';
import { createRedis } from '@aigw/redis';
import type { RequestLogEvent } from '@aigw/proto';
import type { RequestListener } from 'node:http';
import { DEFAULT_LOGIN_CLIENTS } from '../../src/admin/oauth/login-clients.js';
import { LoginStore } from '../../src/admin/oauth/login-store.js';
import type { OAuthOnboarding } from '../../src/admin/oauth/oauth-onboarding.js';
import { invalidateOnChange } from '../../src/cache-invalidation.js';
import { prismaApiKeyStore } from '../../src/keys/prisma-api-key-store.js';
import { redisKeyCounters } from '../../src/keys/redis-key-counters.js';
import { prismaRouteLoader } from '../../src/routing/prisma-route-loader.js';
import { createServer } from '../../src/server.js';
import { fakeBackends, type FakeBackendOptions } from './fake-backends.js';
import { fakeServerDeps, silentLogger } from './fake-deps.js';

export interface DbServer {
  app: RequestListener;
  prisma: PrismaClient;
  db: TestDatabase;
  notified: ConfigChange[];
  published: RequestLogEvent[];
  calls: ReturnType<typeof fakeBackends>['calls'];
  /** Resolves once the routing table reflects every write made so far. */
  refreshRoutes(): Promise<void>;
  close(): Promise<void>;
}

/**
 * createServer over a fresh migrated database, real Redis (own key prefix) and the real proxy-pool lib;
 * only the gRPC backends are fakes (the multi-service path is the end-to-end suite's job). Config changes
 * are applied to the caches at once, as the NATS round trip would.
 */
export async function startDbServer(
  backendOptions: FakeBackendOptions = {},
  oauth: Partial<OAuthOnboarding> = {},
  dbOptions: TestDatabaseOptions = {},
): Promise<DbServer> {
  const db = await createTestDatabase('aigw_ingress', dbOptions);
  const prisma = createPrisma(db.url);
  const prefix = `test:ingress:${randomBytes(6).toString('hex')}:`;
  const redis = createRedis('redis://127.0.0.1:6379', { keyPrefix: prefix });
  const fake = fakeBackends(backendOptions);
  const notified: ConfigChange[] = [];
  let onChange: (change: ConfigChange) => void = () => undefined;
  const keyCounters = redisKeyCounters(redis, 250);
  const built = await fakeServerDeps({
    backends: fake.backends,
    apiKeyStore: prismaApiKeyStore(prisma),
    routeLoader: prismaRouteLoader(prisma),
    keyCounters,
    admin: {
      prisma,
      notify: (change) => {
        notified.push(change);
        onChange(change);
      },
      proxyPool: { recalculate: recalculateAssignments, list: listAssignments },
      oauth: { logins: new LoginStore(redis), clients: DEFAULT_LOGIN_CLIENTS, loginTtlMs: 600_000, outbound: { dispatcher: undefined, timeoutMs: 5_000 }, onboardPollMs: 0, ...oauth },
      keyCounters,
    },
  });
  onChange = invalidateOnChange({ apiKeys: built.deps.apiKeys, routes: built.deps.routes, credentials: built.credentials }, silentLogger);
  return {
    app: createServer(built.deps),
    prisma,
    db,
    notified,
    published: built.published,
    calls: fake.calls,
    refreshRoutes: () => built.deps.routes.refresh(),
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)));
      await redis.quit();
      await prisma.$disconnect();
      await db.drop();
    },
  };
}
