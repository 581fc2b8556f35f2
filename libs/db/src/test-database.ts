import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mariadb';
import { describeConnection, parseDatabaseUrl, toDriverConfig, withDatabase } from './database-url.js';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from './migrator.js';

/** A migrated database of its own for one test file. */
export interface TestDatabase {
  /** DATABASE_URL of the new database. */
  url: string;
  name: string;
  /** Drops the database; safe to call twice. */
  drop(): Promise<void>;
}

const DEFAULT_SERVER_URL = 'mysql://root@127.0.0.1:3306';

/**
 * Creates a uniquely named, fully migrated database on the server of `AIGW_TEST_MYSQL_URL`
 * (default mysql://root@127.0.0.1:3306), for integration tests that run side by side.
 */
export interface TestDatabaseOptions {
  /** Applies only the migrations named before this folder (to test a migration on a populated table). */
  before?: string;
}

export async function createTestDatabase(prefix = 'aigw_test', options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  // Room for the unique suffix within MySQL's 64-character names, and nothing that needs quoting in a shell.
  if (!/^[A-Za-z0-9_]{1,40}$/.test(prefix)) {
    throw new Error(`createTestDatabase: prefix must be 1-40 letters, digits or underscores, got "${prefix}"`);
  }
  const serverUrl = process.env['AIGW_TEST_MYSQL_URL'] || DEFAULT_SERVER_URL;
  // Time first so that leftovers of crashed runs sort by age; random part for parallel workers.
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(serverUrl, name);
  let dropping: Promise<void> | undefined;
  const drop = (): Promise<void> => (dropping ??= dropDatabase(serverUrl, name));
  try {
    if (options.before === undefined) await applyMigrations(url);
    else await applyMigrationsBefore(url, options.before);
  } catch (error) {
    await drop().catch(() => undefined);
    const server = describeConnection(parseDatabaseUrl(serverUrl));
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`createTestDatabase: cannot create ${name} on ${server} (set AIGW_TEST_MYSQL_URL): ${reason}`, {
      cause: error,
    });
  }
  return { url, name, drop };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const server = parseDatabaseUrl(serverUrl);
  const conn = await createConnection(toDriverConfig({ ...server, database: '' }));
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name.replaceAll('`', '``')}\``);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

async function applyMigrationsBefore(url: string, before: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'aigw-migrations-'));
  try {
    for (const entry of await readdir(DEFAULT_MIGRATIONS_DIR)) {
      if (entry.endsWith('.toml') || entry < before) await cp(join(DEFAULT_MIGRATIONS_DIR, entry), join(dir, entry), { recursive: true });
    }
    await applyMigrations(url, { migrationsDir: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
