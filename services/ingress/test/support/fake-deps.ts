import type { RedisClient } from '@aigw/redis';
import type { ConfigChange } from '@aigw/bus';
import type { PrismaClient } from '@aigw/db';
import { EgressPolicy } from '@aigw/egress';
import { createLogger } from '@aigw/logger';
import { Registry } from '@aigw/metrics';
import type { RequestLogEvent } from '@aigw/proto';
import { CredentialCipher } from '@aigw/secrets';
import type { AdminDeps } from '../../src/admin/admin-deps.js';
import { DEFAULT_LOGIN_CLIENTS } from '../../src/admin/oauth/login-clients.js';
import { LoginStore } from '../../src/admin/oauth/login-store.js';
import { jsonBodyReader } from '../../src/http/read-json-body.js';
import { ApiKeyCache, type ApiKeyRecord, type ApiKeyStore } from '../../src/keys/api-key-cache.js';
import { hashClientKey } from '../../src/keys/client-key.js';
import { ClientRateLimiter, type WindowCounter } from '../../src/keys/client-rate-limit.js';
import { createIngressMetrics } from '../../src/observability/ingress-metrics.js';
import { AttemptLoop } from '../../src/proxying/attempt-loop.js';
import type { Backends } from '../../src/proxying/backends.js';
import { CredentialCache } from '../../src/proxying/credential-cache.js';
import { RouteCache, type RouteLoader } from '../../src/routing/route-cache.js';
import type { RouteRule } from '../../src/routing/route-table.js';
import type { ServerDeps } from '../../src/server.js';
import { fakeBackends } from './fake-backends.js';

export const silentLogger = createLogger({ service: 'ingress-test', level: 'silent' });
export const TEST_KEY = 'aigw-test-key';
export const ADMIN_TOKEN = 'admin-token-for-tests';

/** A route rule with defaults. */
export function rule(pattern: string, extra: Partial<RouteRule> = {}): RouteRule {
  return {
    id: 1,
    pattern,
    providerId: 1,
    providerName: 'openai',
    upstreamModel: null,
    priority: 0,
    fallbackModel: null,
    sessionAffinity: true,
    providerHasAccounts: true,
    createdAtMs: Date.UTC(2025, 0, 1),
    ...extra,
  };
}

export interface FakeDepsOptions {
  backends?: Backends;
  keys?: Record<string, ApiKeyRecord>;
  routes?: RouteRule[];
  routeLoader?: RouteLoader;
  apiKeyStore?: ApiKeyStore;
  windowCounter?: WindowCounter;
  bodyLimit?: string;
  admin?: Partial<AdminDeps>;
  maxAttempts?: number;
  requestTimeoutMs?: number;
  streamTimeoutMs?: number;
}

/** ServerDeps with in-memory keys, routes and backends; records published log events. */
export async function fakeServerDeps(options: FakeDepsOptions = {}) {
  const published: RequestLogEvent[] = [];
  const notified: ConfigChange[] = [];
  const windows = new Map<string, number>();
  const keys = options.keys ?? { [TEST_KEY]: { id: 7, rateLimitPerMin: null, revoked: false } };
  const byHash = new Map(Object.entries(keys).map(([key, record]) => [hashClientKey(key), record]));
  const backends = options.backends ?? fakeBackends().backends;
  const memoryCounter: WindowCounter = async (id, window) => {
    const key = `${id}:${window}`;
    windows.set(key, (windows.get(key) ?? 0) + 1);
    return windows.get(key)!;
  };
  const credentials = new CredentialCache((id, deadline) => backends.getCredential(id, deadline), { maxAgeMs: 60_000 });
  const routes = new RouteCache(options.routeLoader ?? (async () => options.routes ?? [rule('gpt-*'), rule('claude-*', { id: 2 })]), () => undefined);
  await routes.refresh();
  const deps: ServerDeps = {
    apiKeys: new ApiKeyCache(options.apiKeyStore ?? { findByHash: async (hash) => byHash.get(hash) ?? null }, {
      ttlMs: 60_000,
      negativeTtlMs: 1_000,
    }),
    rateLimiter: new ClientRateLimiter(options.windowCounter ?? memoryCounter, () => undefined),
    routes,
    attemptLoop: new AttemptLoop({
      backends,
      credentials,
      resolveFallback: (model) => routes.tryResolve(model),
      maxAttempts: options.maxAttempts ?? 3,
      selectorTimeoutMs: 5_000,
      authTimeoutMs: 5_000,
      logger: silentLogger,
    }),
    readBody: jsonBodyReader(options.bodyLimit ?? '1mb'),
    requestLog: { publish: (event) => published.push(event) },
    metrics: createIngressMetrics(new Registry()),
    logger: silentLogger,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    ...(options.streamTimeoutMs === undefined ? {} : { streamTimeoutMs: options.streamTimeoutMs }),
    admin: {
      prisma: {} as PrismaClient,
      cipher: new CredentialCipher(Buffer.alloc(32, 1)),
      adminToken: ADMIN_TOKEN,
      notify: (change) => notified.push(change),
      proxyPool: {
        recalculate: async () => ({ changed: 0, assignments: [] }),
        list: async () => [],
      },
      // Tests stand loopback and private addresses in for upstreams and proxies; admin-egress.test.ts runs the default policy.
      egress: new EgressPolicy({ allow: ['127.0.0.0/8', '::1', 'localhost'], allowPrivate: true }),
      logger: silentLogger,
      // Routes that reach Redis get a real store from db-server.ts; this one is never called.
      oauth: { logins: new LoginStore({} as RedisClient), clients: DEFAULT_LOGIN_CLIENTS, loginTtlMs: 600_000, outbound: { dispatcher: undefined, timeoutMs: 5_000 }, onboardPollMs: 0 },
      ...options.admin,
    },
    readinessChecks: [],
    accepting: () => true,
  };
  return { deps, published, notified, credentials };
}
