import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { redisConnectionOptions, type RedisAccess } from './redis-access.js';

export type RedisClient = Redis | Cluster;

/** Where createRedis reports connection errors (a pino logger fits). */
export interface RedisErrorLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

export interface CreateRedisOptions {
  /** Prefix for every key (tests isolate runs with it). */
  keyPrefix?: string;
  /** Comma-separated `host:port` seed nodes: connect to a Redis Cluster instead of `url`. */
  clusterNodes?: string;
  /** Budget of one command, queued time included (REDIS_COMMAND_TIMEOUT_MS); default 500 ms. */
  commandTimeoutMs?: number;
  /** Credentials and TLS (redisAccess(config)); the URL's own `user:password@` and `rediss://` count too. */
  access?: RedisAccess;
  /** Receives connection errors, at most one line per outage and then one per ERROR_LOG_INTERVAL_MS. */
  logger?: RedisErrorLog;
}

export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 500;
/** Reconnect delays double from 50 ms up to this: a Redis that comes back is used again within a second. */
export const RECONNECT_MAX_MS = 1_000;
const ERROR_LOG_INTERVAL_MS = 30_000;

/** Reconnect delay after the `attempt`-th failed try (1-based): 50, 100, 200, … ms, capped at RECONNECT_MAX_MS. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(RECONNECT_MAX_MS, 50 * 2 ** Math.min(Math.max(attempt - 1, 0), 10));
}

/**
 * One Redis connection with auto-pipelining; a Cluster client when seed nodes are given.
 *
 * Every caller is on (or next to) a request path and has a fallback, so a command must fail fast rather than wait
 * for Redis: each command times out after `commandTimeoutMs` (a paused server, a zombie connection), and the
 * commands in flight or queued when the connection drops fail at the next reconnect attempt (maxRetriesPerRequest
 * 0) instead of surviving 20 retries. The offline queue stays on, so commands sent while the first connection is
 * being made (at start) wait for it, still bounded by the command timeout. An 'error' listener is always attached:
 * ioredis prints "Unhandled error event" with a stack for every failed reconnect otherwise.
 */
export function createRedis(url: string, options: CreateRedisOptions = {}): RedisClient {
  const access = redisConnectionOptions(url, options.access);
  const common: RedisOptions = {
    ...access,
    keyPrefix: options.keyPrefix || undefined,
    enableAutoPipelining: true,
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: reconnectDelayMs,
    lazyConnect: false,
  };
  let client: RedisClient;
  if (options.clusterNodes) {
    const nodes = options.clusterNodes.split(',').map((node) => {
      const [host, port] = node.trim().split(':');
      return { host: host ?? '127.0.0.1', port: Number(port ?? 6379) };
    });
    client = new Cluster(nodes, {
      enableAutoPipelining: true,
      keyPrefix: common.keyPrefix,
      redisOptions: common,
      clusterRetryStrategy: reconnectDelayMs,
      // With TLS, connect to the names given rather than the addresses they resolve to, so that the server
      // certificate's host name can be checked (managed clusters such as ElastiCache announce names).
      ...(access.tls && { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) }),
    });
  } else {
    client = new Redis(url, common);
  }
  watchErrors(client, options.logger);
  return client;
}

/** Logs the first error of an outage, then at most one line (with the count) per interval until 'ready'. */
function watchErrors(client: RedisClient, logger: RedisErrorLog | undefined): void {
  let suppressed = 0;
  let lastLoggedAt = 0;
  client.on('error', (error: Error & { code?: string }) => {
    const now = Date.now();
    if (logger === undefined || now - lastLoggedAt < ERROR_LOG_INTERVAL_MS) {
      suppressed++;
      return;
    }
    lastLoggedAt = now;
    // The message only (no stack): "connect ECONNREFUSED 10.0.0.5:6379" says everything an operator needs.
    logger.warn({ code: error.code, error: error.message, suppressed }, 'redis connection error');
    suppressed = 0;
  });
  client.on('ready', () => {
    if (lastLoggedAt !== 0) logger?.info({ suppressed }, 'redis connection ready again');
    lastLoggedAt = 0;
    suppressed = 0;
  });
}
