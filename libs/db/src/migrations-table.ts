import { randomUUID } from 'node:crypto';
import type { Connection } from 'mariadb';

/** One row of `_prisma_migrations`. */
export interface MigrationRecord {
  id: string;
  migrationName: string;
  checksum: string;
  /** `YYYY-MM-DD hh:mm:ss.fff` in UTC, as stored. */
  startedAt: string;
  finishedAt: string | null;
  rolledBackAt: string | null;
  logs: string | null;
  appliedStepsCount: number;
}

// Verbatim from Prisma's schema engine (MySQL flavour, create_migrations_table), so that `prisma migrate`
// finds the table it would have created itself.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             DATETIME(3),
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          DATETIME(3),
    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`;

/** Base tables of the connection's database, `_prisma_migrations` included. */
export async function listTables(conn: Connection): Promise<string[]> {
  const rows: Array<{ name: string }> = await conn.query(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'`,
  );
  return rows.map((row) => row.name);
}

/** Creates `_prisma_migrations` exactly as Prisma does. */
export async function createMigrationsTable(conn: Connection): Promise<void> {
  await conn.query(CREATE_MIGRATIONS_TABLE);
}

/** Every recorded migration, oldest first. */
export async function readMigrationRecords(conn: Connection): Promise<MigrationRecord[]> {
  // Timestamps as text: they are UTC (Prisma writes UTC) and only shown to people.
  const rows: Array<Record<string, unknown>> = await conn.query(
    `SELECT id, migration_name, checksum, logs, applied_steps_count,
            CAST(started_at AS CHAR) AS started_at,
            CAST(finished_at AS CHAR) AS finished_at,
            CAST(rolled_back_at AS CHAR) AS rolled_back_at
     FROM _prisma_migrations ORDER BY started_at, migration_name`,
  );
  return rows.map((row) => ({
    id: String(row['id']),
    migrationName: String(row['migration_name']),
    checksum: String(row['checksum']),
    startedAt: String(row['started_at']),
    finishedAt: nullableString(row['finished_at']),
    rolledBackAt: nullableString(row['rolled_back_at']),
    logs: nullableString(row['logs']),
    appliedStepsCount: Number(row['applied_steps_count']),
  }));
}

/** Inserts the row Prisma writes before running a script; returns its id. */
export async function recordMigrationStarted(conn: Connection, name: string, checksum: string): Promise<string> {
  const id = randomUUID();
  await conn.query(
    'INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES (?, ?, UTC_TIMESTAMP(3), ?)',
    [id, checksum, name],
  );
  return id;
}

/** Marks a script as applied: one step (the whole script, as Prisma counts it) and finished_at. */
export async function recordMigrationFinished(conn: Connection, id: string): Promise<void> {
  await conn.query(
    `UPDATE _prisma_migrations
     SET applied_steps_count = applied_steps_count + 1, finished_at = UTC_TIMESTAMP(3)
     WHERE id = ?`,
    [id],
  );
}

/** Keeps the error as the row's logs and leaves finished_at NULL, which is how Prisma marks a failure. */
export async function recordMigrationFailed(conn: Connection, id: string, logs: string): Promise<void> {
  await conn.query('UPDATE _prisma_migrations SET logs = ? WHERE id = ?', [logs, id]);
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
