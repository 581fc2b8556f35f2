import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { parseDatabaseUrl, toDriverConfig } from './database-url.js';
import { PrismaClient } from './generated/prisma/client.js';

export interface CreatePrismaOptions {
  /** Size of the connection pool (default 10, the driver's own default). */
  connectionLimit?: number;
  /**
   * How long a query waits for a pool connection before it fails (the driver's default: 10 s). While the
   * database is unreachable every query waits this long, so a request path wants it short.
   */
  acquireTimeoutMs?: number;
}

/** How much of a client's connection pool is in use (the seed's "DB connections > 80 % of the pool" alert). */
export interface DbPoolUsage {
  /** Connections running a query. */
  active: number;
  /** Connections open (active and idle). */
  total: number;
  /** The pool's size (connectionLimit). */
  limit: number;
}

interface DriverPool {
  activeConnections(): number;
  totalConnections(): number;
}

const pools = new WeakMap<object, { pool: DriverPool | undefined; limit: number }>();

/** The pool use of a client made by createPrisma / createPrismaWithLiterals; undefined before it connected. */
export function dbPoolUsage(prisma: object): DbPoolUsage | undefined {
  const entry = pools.get(prisma);
  if (entry?.pool === undefined) return undefined;
  return { active: entry.pool.activeConnections(), total: entry.pool.totalConnections(), limit: entry.limit };
}

/** The adapter, keeping hold of the pool it connects with (pool use for metrics; the driver's escape()). */
export class WatchedMariaDb extends PrismaMariaDb {
  pool: (DriverPool & { escape(value: unknown): string }) | undefined;

  override async connect(): ReturnType<PrismaMariaDb['connect']> {
    const adapter = await super.connect();
    this.pool = adapter.underlyingDriver();
    return adapter;
  }
}

/** Lets dbPoolUsage(prisma) read `adapter`'s pool. */
export function watchPool(prisma: object, adapter: WatchedMariaDb, limit: number): void {
  pools.set(prisma, {
    get pool() {
      return adapter.pool;
    },
    limit,
  });
}

/**
 * A PrismaClient over the `mariadb` driver: Prisma 7's query compiler runs as WASM in this process, so no
 * native engine is needed. Call `$disconnect()` on shutdown to close the pool.
 */
export function createPrisma(databaseUrl: string, options: CreatePrismaOptions = {}): PrismaClient {
  const connection = parseDatabaseUrl(databaseUrl);
  // Settings, not the URL string: the driver echoes a URL it cannot parse, password included, in its error.
  const limit = options.connectionLimit ?? 10;
  const adapter = new WatchedMariaDb(
    {
      ...toDriverConfig(connection),
      connectionLimit: limit,
      ...(options.acquireTimeoutMs === undefined ? {} : { acquireTimeout: options.acquireTimeoutMs }),
    },
    connection.database === '' ? {} : { database: connection.database },
  );
  const prisma = new PrismaClient({ adapter });
  watchPool(prisma, adapter, limit);
  return prisma;
}
