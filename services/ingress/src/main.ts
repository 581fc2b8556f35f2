import type { AddressInfo } from 'node:net';
import { ensureLogStream, LogPublisher, onConfigChanged, publishConfigChanged } from '@aigw/bus';
import { loadConfig } from '@aigw/config';
import { EgressPolicy } from '@aigw/egress';
import { onShutdownSignal } from '@aigw/grpc';
import { createLogger } from '@aigw/logger';
import { createRegistry, serveMetrics } from '@aigw/metrics';
import { listAssignments, recalculateAssignments } from '@aigw/proxy-pool';
import { CredentialCipher } from '@aigw/secrets';
import { invalidateOnChange } from './cache-invalidation.js';
import { ingressConfigSchema } from './config.js';
import { openConnections, readinessChecks } from './dependencies.js';
import { AdmissionGate } from './http/admission-gate.js';
import { BodyBudget } from './http/body-budget.js';
import { createHttpServer, listen } from './http/http-server.js';
import { parseByteSize } from './http/byte-size.js';
import { jsonBodyReader } from './http/read-json-body.js';
import { ShutdownGate } from './http/shutdown.js';
import { ApiKeyCache } from './keys/api-key-cache.js';
import { ClientRateLimiter } from './keys/client-rate-limit.js';
import { prismaApiKeyStore } from './keys/prisma-api-key-store.js';
import { redisWindowCounter } from './keys/redis-window-counter.js';
import { discoverModels } from './models/discover-models.js';
import { grpcModelLister } from './models/grpc-model-lister.js';
import { ModelCatalog } from './models/model-catalog.js';
import { createIngressMetrics } from './observability/ingress-metrics.js';
import { registerModelListMetrics } from './observability/model-list-metrics.js';
import { AttemptLoop } from './proxying/attempt-loop.js';
import { CredentialCache } from './proxying/credential-cache.js';
import { grpcBackends } from './proxying/grpc-backends.js';
import { SuccessReportThrottle } from './proxying/success-report-throttle.js';
import { RedisResponseStore } from './responses/redis-response-store.js';
import { NO_RESPONSE_STORE } from './responses/response-store.js';
import { createResponseStoreMetrics } from './responses/response-store-metrics.js';
import { prismaRouteLoader } from './routing/prisma-route-loader.js';
import { RouteCache } from './routing/route-cache.js';
import { createServer } from './server.js';

const config = loadConfig(ingressConfigSchema);
const logger = createLogger({ service: 'ingress', level: config.LOG_LEVEL });

const connections = await openConnections(config, logger);
const { prisma, redis, nc, names } = connections;

const backends = grpcBackends(connections.clients, logger);
const credentials = new CredentialCache((id, deadline) => backends.getCredential(id, deadline), { maxAgeMs: config.CREDENTIAL_CACHE_MAX_MS });
const apiKeys = new ApiKeyCache(prismaApiKeyStore(prisma), {
  ttlMs: config.API_KEY_CACHE_TTL_MS,
  negativeTtlMs: config.API_KEY_NEGATIVE_TTL_MS,
});
const routes = new RouteCache(prismaRouteLoader(prisma), (error) => logger.warn({ err: error }, 'route refresh failed'));
await routes.refresh().catch((error: unknown) => logger.error({ err: error }, 'initial route load failed; retrying on the timer'));
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

// The stream must exist before the first publish, whether or not a logging consumer runs yet: events are
// durable from the moment JetStream acks them. Creating it is idempotent, so every replica may do it.
await ensureLogStream(nc, names).catch((error: unknown) => logger.warn({ err: error }, 'could not ensure the log stream; publishes retry'));

let lastPublishWarning = 0;
const requestLog = new LogPublisher(nc, names, {
  maxInFlight: config.LOG_MAX_IN_FLIGHT,
  onError: (error) => {
    // JetStream outages produce one failure per retry; one warning every 10 s is enough.
    if (Date.now() - lastPublishWarning < 10_000) return;
    lastPublishWarning = Date.now();
    logger.warn({ err: error }, 'request log publish failed; retrying');
  },
});

const bodyBudget = new BodyBudget(parseByteSize(config.BODY_BUDGET));
const admission: AdmissionGate = new AdmissionGate({
  maxInFlight: config.MAX_IN_FLIGHT,
  maxQueue: config.MAX_QUEUE,
  maxQueueMs: config.MAX_QUEUE_MS,
  onShed: (reason) => metrics.countShed(reason),
});
const metrics = createIngressMetrics(createRegistry('ingress'), {
  bodyBytesHeld: () => bodyBudget.used,
  admission: { inFlight: () => admission.inFlight, queued: () => admission.queued },
});
registerModelListMetrics(metrics.registry, modelCatalog);
const responseStore = {
  store:
    config.RESPONSE_STORE_TTL_S > 0
      ? new RedisResponseStore(redis, {
          ttlSeconds: config.RESPONSE_STORE_TTL_S,
          maxBytes: parseByteSize(config.RESPONSE_STORE_MAX_BYTES),
          timeoutMs: config.BACKEND_TIMEOUT_MS,
        })
      : NO_RESPONSE_STORE,
  metrics: createResponseStoreMetrics(metrics.registry),
};
const gate = new ShutdownGate();
const app = createServer({
  apiKeys,
  rateLimiter: new ClientRateLimiter(redisWindowCounter(redis), (error) => logger.warn({ err: error }, 'client rate limit unavailable; request allowed')),
  routes,
  attemptLoop: new AttemptLoop({
    backends,
    credentials,
    resolveFallback: (model) => routes.tryResolve(model),
    maxAttempts: config.MAX_ATTEMPTS,
    backendTimeoutMs: config.BACKEND_TIMEOUT_MS,
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
  admin: {
    prisma,
    cipher: new CredentialCipher(config.AIGW_ENCRYPTION_KEY),
    adminToken: config.AIGW_ADMIN_TOKEN,
    notify: (change) => {
      logger.info({ entity: change.entity, id: change.id }, 'config changed by admin API');
      publishConfigChanged(nc, names, change);
    },
    proxyPool: { recalculate: recalculateAssignments, list: listAssignments },
    egress: EgressPolicy.fromConfig(config),
    logger,
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
const metricsServer = config.METRICS_PORT > 0 ? await serveMetrics(metrics.registry, config.METRICS_PORT, config.HTTP_HOST) : undefined;
logger.info({ port: (server.address() as AddressInfo).port, host: config.HTTP_HOST, metricsPort: metricsServer?.port }, 'ready');

onShutdownSignal(logger, async () => {
  // /readyz 503 at once, serve through the drain, then close and let in-flight work finish (README "Failure behaviour").
  logger.info({ drainMs: config.SHUTDOWN_DRAIN_MS, graceMs: config.SHUTDOWN_GRACE_MS }, 'not ready; draining');
  await gate.shutdown(server, { drainMs: config.SHUTDOWN_DRAIN_MS, graceMs: config.SHUTDOWN_GRACE_MS });
  metricsServer?.server.close();
  routes.stop();
  modelCatalog.stop();
  subscription.unsubscribe();
  if (!(await requestLog.flush(5_000))) logger.warn({ pending: requestLog.pending }, 'request log not fully flushed');
  requestLog.close();
  await connections.close();
});
