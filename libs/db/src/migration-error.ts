/** Why the migrator stopped; stable strings for callers and tests. */
export type MigrationErrorCode =
  | 'NO_DATABASE'
  | 'MIGRATIONS_DIR_UNREADABLE'
  | 'MIGRATION_SCRIPT_MISSING'
  | 'PROVIDER_MISMATCH'
  | 'CHECKSUM_MISMATCH'
  | 'FAILED_MIGRATION'
  | 'SCHEMA_NOT_EMPTY'
  | 'LOCK_TIMEOUT'
  | 'SCRIPT_FAILED';

/** A migration run that must not continue; the message is safe to print (never holds a password). */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly code: MigrationErrorCode;

  constructor(code: MigrationErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
