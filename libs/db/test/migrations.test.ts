import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection, type Connection } from 'mariadb';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl, toDriverConfig, withDatabase } from '../src/database-url.js';
import { migrationChecksum, readMigrationFiles } from '../src/migration-files.js';
import { applyMigrations, createTestDatabase, DEFAULT_MIGRATIONS_DIR, type TestDatabase } from '../src/index.js';
import { readDatabaseShape } from './database-shape.js';
import { expectedShape } from './expected-shape.js';
import { getDmmfDatamodel } from './prisma-dmmf.js';

const SERVER_URL = process.env['AIGW_TEST_MYSQL_URL'] || 'mysql://root@127.0.0.1:3306';
const SCHEMA_PATH = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));

// Every test gets databases of its own, dropped afterwards even when it fails.
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function migratedDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase('aigw_db_test');
  cleanups.push(db.drop);
  return db;
}

/** A name no database has yet; dropped after the test. */
function unusedDatabaseUrl(): string {
  const name = `aigw_db_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  cleanups.push(() => withServer((conn) => conn.query(`DROP DATABASE IF EXISTS \`${name}\``)));
  return withDatabase(SERVER_URL, name);
}

async function connect(url: string): Promise<Connection> {
  const conn = await createConnection(toDriverConfig(parseDatabaseUrl(url)));
  cleanups.push(() => conn.end());
  return conn;
}

async function withServer<T>(work: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await createConnection(toDriverConfig({ ...parseDatabaseUrl(SERVER_URL), database: '' }));
  try {
    return await work(conn);
  } finally {
    await conn.end();
  }
}

/** A copy of the real migrations folder that a test may add to or edit. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aigw-migrations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function addMigration(dir: string, name: string, script: string): Promise<void> {
  await mkdir(join(dir, name));
  await writeFile(join(dir, name, 'migration.sql'), script);
}

async function migrationRows(conn: Connection): Promise<Array<Record<string, unknown>>> {
  return conn.query('SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name');
}

describe('the migrations', () => {
  it('build exactly the tables, columns, indexes and foreign keys that schema.prisma declares', async () => {
    const db = await migratedDatabase();
    const expected = expectedShape(getDmmfDatamodel(SCHEMA_PATH, await readFile(SCHEMA_PATH, 'utf8')));
    const actual = await readDatabaseShape(await connect(db.url));
    // A schema change without a migration (or the reverse) shows up here as a diff.
    expect(actual).toEqual(expected);
  });

  it('keep the indexes the seed design relies on', async () => {
    const { tables } = await readDatabaseShape(await connect((await migratedDatabase()).url));
    const columnLists = (table: string) => Object.values(tables[table]?.indexes ?? {}).map((index) => index.columns);
    expect(columnLists('accounts')).toContainEqual(['provider_id', 'is_active']);
    expect(columnLists('accounts')).toContainEqual(['proxy_id']);
    expect(columnLists('request_logs')).toContainEqual(['created_at']);
  });
});

describe('applyMigrations', () => {
  it('records each migration the way prisma migrate deploy does', async () => {
    const url = unusedDatabaseUrl();
    const applied = await applyMigrations(url);
    const conn = await connect(url);
    const rows = await migrationRows(conn);

    expect(rows.map((row) => row['migration_name'])).toEqual(applied);
    for (const row of rows) {
      const script = await readFile(join(DEFAULT_MIGRATIONS_DIR, String(row['migration_name']), 'migration.sql'));
      expect(row['id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row['checksum']).toBe(migrationChecksum(script.toString('utf8')));
      expect(row['finished_at']).not.toBeNull();
      expect(row['rolled_back_at']).toBeNull();
      expect(row['logs']).toBeNull();
      expect(row['applied_steps_count']).toBe(1);
    }
    const [database] = await conn.query(
      'SELECT default_character_set_name AS charset, default_collation_name AS collation FROM information_schema.schemata WHERE schema_name = DATABASE()',
    );
    expect(database).toEqual({ charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' });
  });

  it('creates _prisma_migrations with the columns Prisma creates', async () => {
    const conn = await connect((await migratedDatabase()).url);
    const columns = await conn.query(
      `SELECT column_name AS name, column_type AS type, is_nullable AS nullable, column_key AS \`key\`
       FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '_prisma_migrations'
       ORDER BY ordinal_position`,
    );
    // MariaDB prints the int display width, MySQL 8 does not.
    const described = columns.map(
      (c: Record<string, string>) => `${c['name']} ${c['type']?.replace('int(10)', 'int')} ${c['nullable']} ${c['key']}`,
    );
    expect(described).toEqual([
      'id varchar(36) NO PRI',
      'checksum varchar(64) NO ',
      'finished_at datetime(3) YES ',
      'migration_name varchar(255) NO ',
      'logs text YES ',
      'rolled_back_at datetime(3) YES ',
      'started_at datetime(3) NO ',
      'applied_steps_count int unsigned NO ',
    ]);
  });

  it('does nothing when run again', async () => {
    const db = await migratedDatabase();
    const conn = await connect(db.url);
    const before = await migrationRows(conn);

    await expect(applyMigrations(db.url)).resolves.toEqual([]);
    expect(await migrationRows(conn)).toEqual(before);
  });

  it('applies only the new folder when one is added', async () => {
    const db = await migratedDatabase();
    const dir = await migrationsCopy();
    await addMigration(dir, '99990101000000_add_note', 'ALTER TABLE `providers` ADD COLUMN `note` VARCHAR(32) NULL;\n');

    await expect(applyMigrations(db.url, { migrationsDir: dir })).resolves.toEqual(['99990101000000_add_note']);
    expect((await migrationRows(await connect(db.url))).map((row) => row['migration_name'])).toContain(
      '99990101000000_add_note',
    );
  });

  it('refuses to run when an applied migration.sql was edited, but not for line endings alone', async () => {
    const db = await migratedDatabase();
    const dir = await migrationsCopy();
    const [init] = (await readMigrationFiles(dir)).map((file) => file.name);
    const scriptPath = join(dir, init!, 'migration.sql');
    const original = await readFile(scriptPath, 'utf8');

    await writeFile(scriptPath, original.replaceAll('\n', '\r\n'));
    await expect(applyMigrations(db.url, { migrationsDir: dir })).resolves.toEqual([]);

    await writeFile(scriptPath, original.replace('VARCHAR(64)', 'VARCHAR(65)'));
    await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      message: expect.stringContaining(init!),
    });
  });

  it('stops at a failing script, records the failure like Prisma, and refuses to go on until it is resolved', async () => {
    const db = await migratedDatabase();
    const dir = await migrationsCopy();
    await addMigration(dir, '99990101000000_broken', 'ALTER TABLE `no_such_table` ADD COLUMN `x` INT;\n');
    await addMigration(dir, '99990102000000_after', 'ALTER TABLE `providers` ADD COLUMN `note` VARCHAR(32) NULL;\n');

    await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toMatchObject({ code: 'SCRIPT_FAILED' });
    const conn = await connect(db.url);
    const failed = (await migrationRows(conn)).find((row) => row['migration_name'] === '99990101000000_broken');
    expect(failed).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(failed?.['logs']).toMatch(/no_such_table/);

    await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toMatchObject({
      code: 'FAILED_MIGRATION',
      message: expect.stringContaining('99990101000000_broken'),
    });

    // What `prisma migrate resolve --rolled-back` does; then a fixed script goes through.
    await conn.query('UPDATE _prisma_migrations SET rolled_back_at = UTC_TIMESTAMP(3) WHERE id = ?', [failed?.['id']]);
    await writeFile(join(dir, '99990101000000_broken', 'migration.sql'), 'SELECT 1;\n');
    await expect(applyMigrations(db.url, { migrationsDir: dir })).resolves.toEqual([
      '99990101000000_broken',
      '99990102000000_after',
    ]);
  });

  it('refuses a database that has tables but no migration history', async () => {
    const url = unusedDatabaseUrl();
    await withServer((conn) => conn.query(`CREATE DATABASE \`${parseDatabaseUrl(url).database}\``));
    await (await connect(url)).query('CREATE TABLE legacy (id INT PRIMARY KEY)');

    await expect(applyMigrations(url)).rejects.toMatchObject({ code: 'SCHEMA_NOT_EMPTY' });
  });

  it('applies once when two replicas start together on a database that does not exist yet', async () => {
    const url = unusedDatabaseUrl();
    const results = await Promise.all([applyMigrations(url), applyMigrations(url)]);

    const folders = (await readMigrationFiles(DEFAULT_MIGRATIONS_DIR)).map((file) => file.name);
    const recorded = (await migrationRows(await connect(url))).map((row) => row['migration_name']);
    expect(recorded).toEqual(folders);
    // One replica applied everything, the other waited for the lock and then found nothing to do.
    expect(results).toContainEqual(folders);
    expect(results).toContainEqual([]);
  });
});
