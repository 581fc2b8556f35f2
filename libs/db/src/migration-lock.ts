import { createHash } from 'node:crypto';
import type { Connection } from 'mariadb';
import { MigrationError } from './migration-error.js';

// MySQL limits lock names to 64 characters.
const MAX_LOCK_NAME = 64;

/**
 * The advisory lock name for one database. GET_LOCK names are server-wide, so the name carries the database:
 * replicas migrating the same database wait for each other, while test databases on a shared server do not.
 */
export function migrationLockName(database: string): string {
  const name = `aigw_migrate:${database}`;
  if (name.length <= MAX_LOCK_NAME) return name;
  return `aigw_migrate:${createHash('sha256').update(database).digest('hex').slice(0, 40)}`;
}

/** Runs `work` while this connection holds the named lock; the server drops it too if the process dies. */
export async function withAdvisoryLock<T>(
  conn: Connection,
  name: string,
  timeoutSeconds: number,
  work: () => Promise<T>,
): Promise<T> {
  const rows: Array<{ acquired: unknown }> = await conn.query('SELECT GET_LOCK(?, ?) AS acquired', [
    name,
    timeoutSeconds,
  ]);
  // 1 = acquired, 0 = timed out, NULL = error; the driver may hand back a number or a bigint.
  if (Number(rows[0]?.acquired) !== 1) {
    throw new MigrationError(
      'LOCK_TIMEOUT',
      `another migrator held lock ${name} for more than ${timeoutSeconds}s; retry when it has finished`,
    );
  }
  try {
    return await work();
  } finally {
    await conn.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
  }
}
