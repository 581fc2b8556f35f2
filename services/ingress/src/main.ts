import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLogStream, LogOutbox, LogPublisher, onConfigChanged, publishConfigChanged } from '@aigw/bus';
import { loadConfig } from '@aigw/config';
import { dbPoolUsage } from '@aigw/db';
import { EgressPolicy, egressConnector } from '@aigw/egress';
import { Agent } from 'undici';
import { countGrpcClientCalls, onShutdownSignal } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { createCacheLookups, createRegistry, registerDbPoolMetrics, serveMetrics } from '@aigw/metrics';
import { listAssignments, recalculateAssignments } from '@aigw/proxy-pool';
import { readAccountStates } from '@aigw/redis';
import { CredentialCipher } from '@aigw/secrets';
import { startTracing } from '@aigw/tracing';
import { invalidateOnChange } from './cache-invalidation.js';
import { watchConfigEvents } from './config-events-liveness.js';
import { ingressConfigSchema } from './config.js';
import { openConnections, readinessChecks } from './dependencies.js';
import { AdmissionGate } from './http/admission-gate.js';
import { BodyBudget } from './http/body-budget.js';
import { createHttpServer, listen } from './http/http-server.js';
import { parseByteSize } from './http/byte-size.js';
import { jsonBodyReader } from './http/read-json-body.js';
import { ShutdownGate } from './http/shutdown.js';
import { ApiKeyCache } from './keys/api-key-cache.js';
import { KeyLimits } from './keys/key-limits.js';
import { prismaApiKeyStore, prismaSpendLedger } from './keys/prisma-api-key-store.js';
import { parseLoginClients } from './admin/oauth/login-clients.js';
import { LoginStore } from './admin/oauth/login-store.js';
import { redisKeyCounters } from './keys/redis-key-counters.js';
import { discoverModels } from './models/discover-models.js';
import { grpcModelLister } from './models/grpc-model-lister.js';
import { ModelCatalog } from './models/model-catalog.js';
import { createIngressMetrics } from './observability/ingress-metrics.js';
import { registerModelListMetrics } from './observability/model-list-metrics.js';
import { dependencyError } from '@aigw/logger';
import { createResilienceMetrics } from './observability/resilience-metrics.js';
import { AttemptLoop } from './proxying/attempt-loop.js';
import { createRequestLogMetrics } from './request-log/request-log-metrics.js';
import { CredentialCache } from './proxying/credential-cache.js';
import { grpcBackends } from './proxying/grpc-backends.js';
import { SuccessReportThrottle } from './proxying/success-report-throttle.js';
import { RedisResponseStore } from './responses/redis-response-store.js';
import { NO_RESPONSE_STORE } from './responses/response-store.js';
import { createResponseStoreMetrics } from './responses/response-store-metrics.js';
import { prismaRouteLoader } from './routing/prisma-route-loader.js';
import { RouteCache } from './routing/route-cache.js';
import { createServer } from './server.js';
import { withinTime } from './within-time.js';

const config = loadConfig(ingressConfigSchema);
const logger = createLogger({ service: 'ingress', level: config.LOG_LEVEL });
// OpenTelemetry, from the standard OTEL_* settings (README "Tracing"); off unless an OTLP endpoint is set.
const tracing = await startTracing('ingress');

const connections = await openConnections(config, logger);
const { prisma, redis, nc, names } = connections;

const registry = createRegistry('ingress');
registerDbPoolMetrics(registry, () => dbPoolUsage(prisma));
const resilience = createResilienceMetrics(registry);
const cacheLookup = createCacheLookups(registry);
countGrpcClientCalls(registry);
const backends = grpcBackends(connections.clients, logger);
const credentials = new CredentialCache((id, deadline) => backends.getCredential(id, deadline), {
  maxAgeMs: config.CREDENTIAL_CACHE_MAX_MS,
  staleMaxMs: config.STALE_IF_ERROR_MS,
  onStaleServed: () => resilience.staleServed('credential'),
  onLookup: (hit) => cacheLookup('credential', hit),
});
const apiKeys = new ApiKeyCache(prismaApiKeyStore(prisma), {
  ttlMs: config.API_KEY_CACHE_TTL_MS,
  negativeTtlMs: config.API_KEY_NEGATIVE_TTL_MS,
  busDownTtlMs: config.API_KEY_TTL_BUS_DOWN_MS,
  staleIfErrorMs: config.STALE_IF_ERROR_MS,
  timeoutMs: config.DB_TIMEOUT_MS,
  onStaleServed: () => resilience.staleServed('api_key'),
  onLookup: (hit) => cacheLookup('api_key', hit),
});
const routes = new RouteCache(prismaRouteLoader(prisma), (error) => logger.warn({ err: dependencyError(error) }, 'route refresh failed'), {
  staleIfErrorMs: config.STALE_IF_ERROR_MS,
  onStaleServed: () => resilience.staleServed('route'),
});
await routes.refresh().catch((error: unknown) => logger.error({ err: dependencyError(error) }, 'initial route load failed; retrying on the timer'));
routes.startTimer(config.ROUTE_REFRESH_MS);

const modelCatalog = new ModelCatalog({
  discover: discoverModels(
    { selectAccount: backends.selectAccount, invalidateCredential: backends.invalidateCredential, listModels: grpcModelLister(connections.clients.providerCall) },
    credentials,
    config.BACKEND_TIMEOUT_MS,
  ),
  providers: () => routes.snapshot.providersWithAccounts(),
  refreshMs: config.MODEL_LIST_REFRESH_MS,
  staleMaxMs: config.MODEL_LIST_STALE_MS,
  firstWaitMs: config.MODEL_LIST_WAIT_MS,
  fetchTimeoutMs: config.MODEL_LIST_TIMEOUT_MS,
  retryMs: Math.min(30_000, config.MODEL_LIST_REFRESH_MS),
  logger,
});
// Lists are fetched once a client first asks for one (it waits at most MODEL_LIST_WAIT_MS), then kept fresh.
modelCatalog.startTimer(Math.min(60_000, config.MODEL_LIST_REFRESH_MS));

const subscription = onConfigChanged(nc, names, invalidateOnChange({ apiKeys, routes, credentials, models: modelCatalog }, logger));
// Without change events a revoked key would work until its cache entry expires: recheck keys often meanwhile.
const stopEventsWatch = watchConfigEvents(nc, {
  intervalMs: 1_000,
  timeoutMs: 1_500,
  onChange: (connected) => {
    logger.warn({ connected }, connected ? 'config events reach ingress again; caches rechecked' : 'config events lost; client keys rechecked in MySQL every API_KEY_TTL_BUS_DOWN_MS');
    resilience.setConfigEventsConnected(connected);
    apiKeys.setEventsConnected(connected);
    // Route changes missed meanwhile.
    if (connected) routes.refresh().catch((error: unknown) => logger.warn({ err: dependencyError(error) }, 'route refresh failed'));
  },
});

// The stream must exist before the first publish, whether or not a logging consumer runs yet: events are
// durable from the moment JetStream acks them. Creating it is idempotent, so every replica may do it.
await ensureLogStream(nc, names).catch((error: unknown) => logger.warn({ err: dependencyError(error) }, 'could not ensure the log stream; publishes retry'));

const bodyBudget = new BodyBudget(parseByteSize(config.BODY_BUDGET));
const admission: AdmissionGate = new AdmissionGate({
  maxInFlight: config.MAX_IN_FLIGHT,
  maxQueue: config.MAX_QUEUE,
  maxQueueMs: config.MAX_QUEUE_MS,
  onShed: (reason) => metrics.countShed(reason),
});
const metrics = createIngressMetrics(registry, {
  bodyBytesHeld: () => bodyBudget.used,
  admission: { inFlight: () => admission.inFlight, queued: () => admission.queued },
});
registerModelListMetrics(metrics.registry, modelCatalog);

// Every batch of request-log events is kept on disk until JetStream acks it; what a previous process (a crash,
// a deploy whose flush ran out of time) left there goes out first (README "Request logs").
const outboxDir = config.LOG_OUTBOX_DIR || join(tmpdir(), 'aigw-log-outbox', `ingress-${config.HTTP_PORT}`);
const outbox = LogOutbox.open(outboxDir, { maxBytes: parseByteSize(config.LOG_OUTBOX_MAX_BYTES) });
let lastPublishWarning = 0;
let lastDropWarning = 0;
let droppedSinceWarning = 0;
const requestLog = new LogPublisher(nc, names, {
  maxInFlight: config.LOG_MAX_IN_FLIGHT,
  outbox,
  onError: (error) => {
    // JetStream outages produce one failure per retry; one warning every 10 s is enough.
    if (Date.now() - lastPublishWarning < 10_000) return;
    lastPublishWarning = Date.now();
    logger.warn({ err: dependencyError(error), pending: requestLog.pending }, 'request log publish failed; kept in the outbox, retrying');
  },
  onDropped: (events, reason) => {
    requestLogMetrics.dropped(events, reason);
    droppedSinceWarning += events;
    if (Date.now() - lastDropWarning < 10_000) return;
    lastDropWarning = Date.now();
    logger.error({ dropped: droppedSinceWarning, reason, outboxBytes: outbox.bytes }, 'request log events dropped: the outbox is full');
    droppedSinceWarning = 0;
  },
});
const requestLogMetrics = createRequestLogMetrics(metrics.registry, {
  pendingEvents: () => requestLog.pending,
  outboxBytes: () => outbox.bytes,
  publishedEvents: () => requestLog.published,
  publishFailures: () => requestLog.failures,
});
if (requestLog.pending > 0 || outbox.skippedBytes > 0) {
  logger.info({ events: requestLog.pending, dir: outboxDir, skippedBytes: outbox.skippedBytes }, 'replaying request-log events left in the outbox');
}
const responseStore = {
  store:
    config.RESPONSE_STORE_TTL_S > 0
      ? new RedisResponseStore(redis, {
          ttlSeconds: config.RESPONSE_STORE_TTL_S,
          maxBytes: parseByteSize(config.RESPONSE_STORE_MAX_BYTES),
          timeoutMs: config.REDIS_REQUEST_TIMEOUT_MS,
        })
      : NO_RESPONSE_STORE,
  metrics: createResponseStoreMetrics(metrics.registry),
};
const egress = EgressPolicy.fromConfig(config);
const gate = new ShutdownGate();
let lastKeyLimitsWarning = 0;
const keyCounters = redisKeyCounters(redis, config.REDIS_REQUEST_TIMEOUT_MS);
const app = createServer({
  apiKeys,
  keyLimits: new KeyLimits(keyCounters, (operation, error) => {
    resilience.keyLimitsUnavailable(operation);
    // One line per 10 s: during a Redis outage every limited request lands here.
    if (Date.now() - lastKeyLimitsWarning < 10_000) return;
    lastKeyLimitsWarning = Date.now();
    logger.warn({ err: dependencyError(error), operation }, 'client key limits unavailable; requests allowed (aigw_key_limits_unavailable_total)');
  }, Date.now, prismaSpendLedger(prisma, config.DB_TIMEOUT_MS)),
  routes,
  attemptLoop: new AttemptLoop({
    backends,
    credentials,
    resolveFallback: (model) => routes.tryResolve(model),
    maxAttempts: config.MAX_ATTEMPTS,
    selectorTimeoutMs: config.SELECTOR_TIMEOUT_MS,
    authTimeoutMs: config.AUTH_TIMEOUT_MS,
    successReports: new SuccessReportThrottle(config.SUCCESS_REPORT_INTERVAL_MS),
    logger,
  }),
  readBody: jsonBodyReader(config.BODY_LIMIT, bodyBudget),
  requestLog,
  metrics,
  logger,
  requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  streamTimeoutMs: config.STREAM_TIMEOUT_MS,
  admission,
  ...(config.CONSOLE_DIST_DIR === '' ? {} : { consoleDir: config.CONSOLE_DIST_DIR }),
  admin: {
    keyCounters,
    prisma,
    cipher: new CredentialCipher(config.AIGW_ENCRYPTION_KEY),
    adminToken: config.AIGW_ADMIN_TOKEN,
    notify: (change) => {
      logger.info({ entity: change.entity, id: change.id }, 'config changed by admin API');
      publishConfigChanged(nc, names, change);
    },
    proxyPool: { recalculate: recalculateAssignments, list: listAssignments },
    egress,
    accountState: {
      read: (accounts) =>
        withinTime(readAccountStates(redis, accounts), config.REDIS_REQUEST_TIMEOUT_MS, () => new Error('account state read timed out')),
    },
    logger,
    oauth: {
      logins: new LoginStore(redis),
      clients: parseLoginClients(config.OAUTH_LOGIN_CLIENTS),
      loginTtlMs: config.OAUTH_LOGIN_TTL_S * 1000,
      // Token endpoints and Cloud Code obey the egress policy on every connection, as auth's refreshes do.
      outbound: { dispatcher: new Agent({ connect: egressConnector(egress) }), timeoutMs: 30_000 },
      onboardPollMs: config.OAUTH_ONBOARD_POLL_MS,
    },
  },
  readinessChecks: readinessChecks(config, connections, () => routes.loaded),
  accepting: () => gate.accepting,
  modelCatalog,
  responseStore,
});

const server = await listen(
  createHttpServer(gate.listener(app), {
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: config.HTTP_KEEPALIVE_TIMEOUT_MS,
  }),
  config.HTTP_PORT,
  config.HTTP_HOST,
);
const metricsServer = config.METRICS_PORT > 0 ? await serveMetrics(metrics.registry, config.METRICS_PORT, config.METRICS_HOST) : undefined;
logger.info({ port: (server.address() as AddressInfo).port, host: config.HTTP_HOST, metricsPort: metricsServer?.port, tracing: tracing.enabled }, 'ready');

onShutdownSignal(logger, async () => {
  // /readyz 503 at once, serve through the drain, then close and let in-flight work finish (README "Failure behaviour").
  logger.info({ drainMs: config.SHUTDOWN_DRAIN_MS, graceMs: config.SHUTDOWN_GRACE_MS }, 'not ready; draining');
  await gate.shutdown(server, { drainMs: config.SHUTDOWN_DRAIN_MS, graceMs: config.SHUTDOWN_GRACE_MS });
  metricsServer?.server.close();
  routes.stop();
  modelCatalog.stop();
  stopEventsWatch();
  subscription.unsubscribe();
  // What JetStream does not ack in time stays in the outbox for the next start: nothing answered is lost.
  if (!(await requestLog.flush(config.LOG_FLUSH_TIMEOUT_MS))) {
    logger.warn({ pending: requestLog.pending, dir: outboxDir }, 'request log not fully flushed; the rest stays in the outbox for the next start');
  }
  requestLog.close();
  // Draining a NATS connection that is away waits for it to come back; nothing is left to send by now (the outbox
  // keeps what JetStream did not ack), so the exit does not wait on it past the grace period's budget.
  await Promise.race([connections.close(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  await tracing.shutdown();
});
