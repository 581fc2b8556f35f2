import { MigrationError } from './migration-error.js';
import { scriptMatchesChecksum, type MigrationFile } from './migration-files.js';
import type { MigrationRecord } from './migrations-table.js';

/** What a run has to do, decided from the folders and `_prisma_migrations` before anything is changed. */
export interface MigrationPlan {
  /** Folders without a live record, in apply order. */
  pending: MigrationFile[];
  /** Recorded migrations with no folder here (e.g. an older build started against a newer database). */
  unknown: string[];
}

/**
 * Decides which migrations to apply, refusing, as `prisma migrate` does, when an earlier migration failed,
 * and, going further than `migrate deploy`, when an applied migration's script was edited afterwards.
 */
export function planMigrations(files: readonly MigrationFile[], records: readonly MigrationRecord[]): MigrationPlan {
  // A rolled-back row (prisma migrate resolve --rolled-back) no longer counts, as in Prisma.
  const live = records.filter((record) => record.rolledBackAt === null);

  const failed = live.filter((record) => record.finishedAt === null);
  if (failed.length > 0) {
    const details = failed.map((record) => describeFailure(record)).join('; ');
    throw new MigrationError(
      'FAILED_MIGRATION',
      `found failed migrations, fix the database by hand and then mark each one rolled back ` +
        `(prisma migrate resolve --rolled-back <name>) before migrating again: ${details}`,
    );
  }

  const liveByName = new Map(live.map((record) => [record.migrationName, record]));
  const edited = files.filter((file) => {
    const record = liveByName.get(file.name);
    return record !== undefined && !scriptMatchesChecksum(file.script, record.checksum);
  });
  if (edited.length > 0) {
    throw new MigrationError(
      'CHECKSUM_MISMATCH',
      `migration.sql of already applied migrations was changed: ${edited.map((file) => file.name).join(', ')}; ` +
        `restore the applied script and put the change in a new migration`,
    );
  }

  const fileNames = new Set(files.map((file) => file.name));
  return {
    pending: files.filter((file) => !liveByName.has(file.name)),
    unknown: [...liveByName.keys()].filter((name) => !fileNames.has(name)),
  };
}

function describeFailure(record: MigrationRecord): string {
  const logs = record.logs?.trim();
  const firstLine = logs === undefined || logs === '' ? '' : ` (${logs.split('\n')[0]})`;
  return `${record.migrationName} started at ${record.startedAt} UTC${firstLine}`;
}
