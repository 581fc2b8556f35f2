import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationError } from './migration-error.js';

/** One `<timestamp>_<name>/migration.sql` folder of Prisma's migrations directory. */
export interface MigrationFile {
  name: string;
  script: string;
  /** Hex SHA-256 of the script's UTF-8 bytes, the value Prisma stores in `_prisma_migrations.checksum`. */
  checksum: string;
}

const LOCK_FILE = 'migration_lock.toml';
const SCRIPT_FILE = 'migration.sql';

/** Reads the migration folders in the order Prisma applies them, after checking the lock file's provider. */
export async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  await assertMysqlProvider(migrationsDir);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: unknown) => {
    throw new MigrationError('MIGRATIONS_DIR_UNREADABLE', `cannot read migrations directory ${migrationsDir}`, {
      cause: error,
    });
  });
  // Same order as Prisma's CLI (localeCompare on folder names), so both tools apply in the same sequence.
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  return Promise.all(
    names.map(async (name) => {
      const path = join(migrationsDir, name, SCRIPT_FILE);
      const script = await readFile(path, 'utf8').catch((error: unknown) => {
        throw new MigrationError('MIGRATION_SCRIPT_MISSING', `migration ${name} has no readable ${SCRIPT_FILE}`, {
          cause: error,
        });
      });
      return { name, script, checksum: migrationChecksum(script) };
    }),
  );
}

/** Prisma's checksum: lowercase hex SHA-256 of the script text. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Whether a script still matches a recorded checksum. Like Prisma, a change of line endings alone (git's
 * autocrlf) is not an edit.
 */
export function scriptMatchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')];
  return variants.some((variant) => migrationChecksum(variant) === checksum.toLowerCase());
}

// Prisma refuses to apply a folder written for another provider; so do we. A missing lock file is accepted,
// as Prisma does.
async function assertMysqlProvider(migrationsDir: string): Promise<void> {
  const content = await readFile(join(migrationsDir, LOCK_FILE), 'utf8').catch(() => undefined);
  if (content === undefined) return;
  const line = content.split(/\r?\n/).find((candidate) => candidate.startsWith('provider'));
  const provider = line?.replace(/^provider\s*=\s*/, '').replace(/^"|"$/g, '').trim();
  if (provider !== 'mysql') {
    throw new MigrationError(
      'PROVIDER_MISMATCH',
      `${LOCK_FILE} in ${migrationsDir} is for provider ${provider ?? '<none>'}, not mysql`,
    );
  }
}
