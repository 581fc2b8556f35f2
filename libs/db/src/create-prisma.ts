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

/**
 * A PrismaClient over the `mariadb` driver: Prisma 7's query compiler runs as WASM in this process, so no
 * native engine is needed. Call `$disconnect()` on shutdown to close the pool.
 */
export function createPrisma(databaseUrl: string, options: CreatePrismaOptions = {}): PrismaClient {
  const connection = parseDatabaseUrl(databaseUrl);
  // Settings, not the URL string: the driver echoes a URL it cannot parse, password included, in its error.
  const adapter = new PrismaMariaDb(
    {
      ...toDriverConfig(connection),
      connectionLimit: options.connectionLimit ?? 10,
      ...(options.acquireTimeoutMs === undefined ? {} : { acquireTimeout: options.acquireTimeoutMs }),
    },
    connection.database === '' ? {} : { database: connection.database },
  );
  return new PrismaClient({ adapter });
}
