import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface CreateRedisOptions {
  /** Prefix for every key (tests isolate runs with it). */
  keyPrefix?: string;
  /** Comma-separated `host:port` seed nodes: connect to a Redis Cluster instead of `url`. */
  clusterNodes?: string;
}

/** One Redis connection with auto-pipelining; a Cluster client when seed nodes are given. */
export function createRedis(url: string, options: CreateRedisOptions = {}): RedisClient {
  const common: RedisOptions = {
    keyPrefix: options.keyPrefix || undefined,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 2_000,
    lazyConnect: false,
  };
  if (options.clusterNodes) {
    const nodes = options.clusterNodes.split(',').map((node) => {
      const [host, port] = node.trim().split(':');
      return { host: host ?? '127.0.0.1', port: Number(port ?? 6379) };
    });
    return new Cluster(nodes, { enableAutoPipelining: true, keyPrefix: common.keyPrefix, redisOptions: common });
  }
  return new Redis(url, common);
}
