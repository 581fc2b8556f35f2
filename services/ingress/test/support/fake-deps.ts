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
import { KeyLimits, type KeyCounters } from '../../src/keys/key-limits.js';
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
  keyCounters?: KeyCounters;
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
  const counts = new Map<string, number>();
  const keys = options.keys ?? { [TEST_KEY]: { id: 7, rateLimitPerMin: null, revoked: false } };
  const byHash = new Map(Object.entries(keys).map(([key, record]) => [hashClientKey(key), record]));
  const backends = options.backends ?? fakeBackends().backends;
  const add = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + n).get(key)!;
  // The Redis scripts' rules, in memory (redis-key-counters.ts; test/key-limits-redis.test.ts runs the real ones).
  const memoryCounters: KeyCounters = {
    async admit(q) {
      const tokens = counts.get(`${q.apiKeyId}:tok:${q.minute}`) ?? 0;
      const spentMicroUsd = counts.get(`${q.apiKeyId}:spend:${q.period}:${q.periodStartMs}`) ?? 0;
      if ((q.budgetMicroUsd !== null && spentMicroUsd >= q.budgetMicroUsd) || (q.tokenLimit > 0 && tokens >= q.tokenLimit)) return { requests: 0, tokens, spentMicroUsd };
      return { requests: q.requestLimit > 0 ? add(`${q.apiKeyId}:req:${q.minute}`, 1) : 0, tokens, spentMicroUsd };
    },
    async charge(q) {
      add(`${q.apiKeyId}:tok:${q.minute}`, q.tokens);
      add(`${q.apiKeyId}:spend:${q.period}:${q.periodStartMs}`, q.costMicroUsd);
    },
    async spent(id, period, start) {
      return counts.get(`${id}:spend:${period}:${start}`) ?? 0;
    },
    async seedSpend(q) {
      const id = `${q.apiKeyId}:spend:${q.period}:${q.periodStartMs}`;
      counts.set(id, Math.max(counts.get(id) ?? 0, q.microUsd));
    },
  };
  const credentials = new CredentialCache((id, deadline) => backends.getCredential(id, deadline), { maxAgeMs: 60_000 });
  const routes = new RouteCache(options.routeLoader ?? (async () => options.routes ?? [rule('gpt-*'), rule('claude-*', { id: 2 })]), () => undefined);
  await routes.refresh();
  const deps: ServerDeps = {
    apiKeys: new ApiKeyCache(options.apiKeyStore ?? { findByHash: async (hash) => byHash.get(hash) ?? null }, {
      ttlMs: 60_000,
      negativeTtlMs: 1_000,
    }),
    keyLimits: new KeyLimits(options.keyCounters ?? memoryCounters, () => undefined),
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
