import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { RedisOptions } from 'ioredis';

/** Credentials and TLS for Redis, single server or Cluster (the REDIS_* settings of @aigw/config's commonFields). */
export interface RedisAccess {
  /** ACL user (Redis 6+); empty: the URL's, else `default`. */
  username?: string;
  /** Empty: the URL's password, if any. */
  password?: string;
  /** TLS even for a `redis://` URL; `rediss://` always uses TLS. */
  tls?: boolean;
  /** PEM files: the CA that signed the server's certificate (default: Node's CAs), and a client certificate and key. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** The commonFields settings createRedis' access options come from. */
export interface RedisAccessConfig {
  REDIS_USERNAME: string;
  REDIS_PASSWORD: string;
  REDIS_TLS: boolean;
  REDIS_TLS_CA_FILE: string;
  REDIS_TLS_CERT_FILE: string;
  REDIS_TLS_KEY_FILE: string;
}

/** createRedis' `access` option from a service's loaded config. */
export function redisAccess(config: RedisAccessConfig): RedisAccess {
  return {
    username: config.REDIS_USERNAME,
    password: config.REDIS_PASSWORD,
    tls: config.REDIS_TLS,
    caFile: config.REDIS_TLS_CA_FILE,
    certFile: config.REDIS_TLS_CERT_FILE,
    keyFile: config.REDIS_TLS_KEY_FILE,
  };
}

/**
 * ioredis' username, password and tls for one server or every Cluster node. Settings win over the URL's
 * `user:password@`, which is also read in Cluster mode (the seed nodes carry no credentials). TLS is on for a
 * `rediss://` URL, REDIS_TLS or any TLS file; the files are read here, so a missing one fails at start.
 */
export function redisConnectionOptions(
  url: string,
  access: RedisAccess = {},
  readFile: (path: string) => Buffer = readFileSync,
): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  let fromUrl: URL | undefined;
  try {
    fromUrl = new URL(url);
  } catch {
    fromUrl = undefined;
  }
  const username = access.username || decode(fromUrl?.username);
  const password = access.password || decode(fromUrl?.password);
  const files = { ca: access.caFile, cert: access.certFile, key: access.keyFile };
  const useTls = fromUrl?.protocol === 'rediss:' || access.tls === true || Object.values(files).some(Boolean);
  const tls: ConnectionOptions = {};
  for (const [field, path] of Object.entries(files) as ['ca' | 'cert' | 'key', string | undefined][]) {
    if (!path) continue;
    try {
      tls[field] = readFile(path);
    } catch (error) {
      throw new Error(`Redis TLS: cannot read the ${field} file ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  return {
    ...(username && { username }),
    ...(password && { password }),
    ...(useTls && { tls }),
  };
}

function decode(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
