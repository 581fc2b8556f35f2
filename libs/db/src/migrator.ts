import { fileURLToPath } from 'node:url';
import { createConnection, type Connection, type SqlError } from 'mariadb';
import { describeConnection, parseDatabaseUrl, toDriverConfig, type DatabaseConnection } from './database-url.js';
import { MigrationError } from './migration-error.js';
import { readMigrationFiles, type MigrationFile } from './migration-files.js';
import { migrationLockName, withAdvisoryLock } from './migration-lock.js';
import { planMigrations } from './migration-plan.js';
import {
  createMigrationsTable,
  listTables,
  readMigrationRecords,
  recordMigrationFailed,
  recordMigrationFinished,
  recordMigrationStarted,
} from './migrations-table.js';

/** Where the migrator reports progress; a pino logger fits. */
export interface MigrationLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface ApplyMigrationsOptions {
  /** Prisma migrations folder; defaults to this package's prisma/migrations. */
  migrationsDir?: string;
  logger?: MigrationLogger;
  /** How long to wait for another replica's run to finish (default 60). */
  lockTimeoutSeconds?: number;
}

/** This package's migrations folder, found the same way from src/ (tsx, vitest) and from dist/ (build). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

const MIGRATIONS_TABLE = '_prisma_migrations';
const ER_BAD_DB_ERROR = 1049;
const silent: MigrationLogger = { info: () => undefined, warn: () => undefined };

/**
 * Applies pending Prisma migration folders the way `prisma migrate deploy` does, for builds without Prisma's
 * schema engine; creates the database when missing. Returns the names applied by this call.
 */
export async function applyMigrations(databaseUrl: string, options: ApplyMigrationsOptions = {}): Promise<string[]> {
  const logger = options.logger ?? silent;
  const target = parseDatabaseUrl(databaseUrl);
  if (target.database === '') {
    throw new MigrationError('NO_DATABASE', `DATABASE_URL names no database (${describeConnection(target)})`);
  }
  // Read every folder before touching the database, so that a broken checkout changes nothing.
  const files = await readMigrationFiles(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);

  const conn = await connectCreatingDatabase(target, logger);
  try {
    return await withAdvisoryLock(conn, migrationLockName(target.database), options.lockTimeoutSeconds ?? 60, () =>
      applyPending(conn, target, files, logger),
    );
  } finally {
    await conn.end().catch(() => undefined);
  }
}

async function applyPending(
  conn: Connection,
  target: DatabaseConnection,
  files: readonly MigrationFile[],
  logger: MigrationLogger,
): Promise<string[]> {
  await ensureMigrationsTable(conn, target);
  const plan = planMigrations(files, await readMigrationRecords(conn));
  if (plan.unknown.length > 0) {
    logger.warn(`database has applied migrations this build does not know: ${plan.unknown.join(', ')}`);
  }
  if (plan.pending.length === 0) {
    logger.info(`database ${describeConnection(target)} is up to date`);
    return [];
  }

  const applied: string[] = [];
  for (const file of plan.pending) {
    logger.info(`applying migration ${file.name}`);
    const startedAt = Date.now();
    const id = await recordMigrationStarted(conn, file.name, file.checksum);
    try {
      // The server rejects a script of comments only ("Query was empty"); Prisma writes such scripts itself.
      if (hasStatements(file.script)) await conn.query(file.script);
    } catch (error) {
      const logs = describeSqlError(error);
      await recordMigrationFailed(conn, id, logs);
      throw new MigrationError('SCRIPT_FAILED', `migration ${file.name} failed: ${logs}`, { cause: error });
    }
    await recordMigrationFinished(conn, id);
    logger.info(`applied migration ${file.name} in ${Date.now() - startedAt} ms`);
    applied.push(file.name);
  }
  return applied;
}

// Like Prisma: a database with tables but no history is someone else's, and must be baselined first.
async function ensureMigrationsTable(conn: Connection, target: DatabaseConnection): Promise<void> {
  const tables = await listTables(conn);
  if (tables.includes(MIGRATIONS_TABLE)) return;
  if (tables.length > 0) {
    throw new MigrationError(
      'SCHEMA_NOT_EMPTY',
      `database ${describeConnection(target)} has tables (${tables.slice(0, 5).join(', ')}) but no ` +
        `${MIGRATIONS_TABLE}; baseline it first (prisma migrate resolve --applied <name>)`,
    );
  }
  await createMigrationsTable(conn);
}

// Connect to the database first: in production the user may be allowed to use it but not to create databases.
async function connectCreatingDatabase(target: DatabaseConnection, logger: MigrationLogger): Promise<Connection> {
  const config = { ...toDriverConfig(target), multipleStatements: true };
  try {
    return await createConnection(config);
  } catch (error) {
    if ((error as Partial<SqlError>).errno !== ER_BAD_DB_ERROR) throw error;
  }
  logger.info(`creating database ${describeConnection(target)}`);
  const server = await createConnection({ ...toDriverConfig({ ...target, database: '' }) });
  try {
    // The character set and collation Prisma's `migrate` uses when it creates a database.
    await server.query(
      `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(target.database)} ` +
        'CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
    );
  } finally {
    await server.end().catch(() => undefined);
  }
  return createConnection(config);
}

function hasStatements(script: string): boolean {
  const withoutComments = script.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*(--|#).*$/gm, '');
  return withoutComments.replaceAll(';', '').trim() !== '';
}

function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

function describeSqlError(error: unknown): string {
  const sqlError = error as Partial<SqlError>;
  if (typeof sqlError.sqlMessage === 'string') return `${sqlError.code ?? 'SQL error'}: ${sqlError.sqlMessage}`;
  return error instanceof Error ? error.message : String(error);
}
