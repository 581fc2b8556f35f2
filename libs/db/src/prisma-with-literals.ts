import { watchPool, WatchedMariaDb, type CreatePrismaOptions } from './create-prisma.js';
import { parseDatabaseUrl, toDriverConfig } from './database-url.js';
import { PrismaClient } from './generated/prisma/client.js';

/** A value that `literal` turns into SQL. */
export type SqlScalar = string | number | boolean | null;

/** A PrismaClient and the one way to put values into statements it runs with `$executeRawUnsafe`. */
export interface PrismaWithLiterals {
  prisma: PrismaClient;
  /**
   * `value` as an SQL literal, quoted by the escaping of the mariadb driver pool that runs the client's
   * statements. Available once the client has connected (inside a transaction, always).
   */
  literal(value: SqlScalar): string;
}

/**
 * Run by every new session of the pool: clears NO_BACKSLASH_ESCAPES, so that whatever the server's sql_mode,
 * the sessions read backslash escapes, the only kind the driver writes (mariadb 3.4 ignores the mode).
 */
export const BACKSLASH_ESCAPES_SQL =
  "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))";

/**
 * Like createPrisma, plus `literal`, for multi-row statements built ahead and sent as one string: with
 * thousands of bound parameters Prisma spends more CPU per row on the parameters than the database spends on
 * the row. The client uses the driver's text protocol (no server-side prepare of a one-off statement).
 */
export function createPrismaWithLiterals(databaseUrl: string, options: CreatePrismaOptions = {}): PrismaWithLiterals {
  const connection = parseDatabaseUrl(databaseUrl);
  const limit = options.connectionLimit ?? 10;
  const adapter = new WatchedMariaDb(
    { ...toDriverConfig(connection), connectionLimit: limit, initSql: BACKSLASH_ESCAPES_SQL },
    { ...(connection.database === '' ? {} : { database: connection.database }), useTextProtocol: true },
  );
  const prisma = new PrismaClient({ adapter });
  watchPool(prisma, adapter, limit);
  return {
    prisma,
    literal(value) {
      if (adapter.pool === undefined) throw new Error('literal() needs a connected client: run a query or $connect() first');
      // `${NaN}` would reach the server as an identifier.
      if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
      return adapter.pool.escape(value);
    },
  };
}
