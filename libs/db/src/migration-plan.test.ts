import { describe, expect, it } from 'vitest';
import { migrationChecksum, type MigrationFile } from './migration-files.js';
import { planMigrations } from './migration-plan.js';
import type { MigrationRecord } from './migrations-table.js';

function file(name: string, script = `-- ${name}\nSELECT 1;\n`): MigrationFile {
  return { name, script, checksum: migrationChecksum(script) };
}

function record(migration: MigrationFile, overrides: Partial<MigrationRecord> = {}): MigrationRecord {
  return {
    id: `id-${migration.name}`,
    migrationName: migration.name,
    checksum: migration.checksum,
    startedAt: '2026-01-01 00:00:00.000',
    finishedAt: '2026-01-01 00:00:01.000',
    rolledBackAt: null,
    logs: null,
    appliedStepsCount: 1,
    ...overrides,
  };
}

describe('planMigrations', () => {
  const first = file('20260101000000_init');
  const second = file('20260102000000_more');

  it('applies every folder to an empty history', () => {
    expect(planMigrations([first, second], []).pending).toEqual([first, second]);
  });

  it('applies only the folders without a record', () => {
    expect(planMigrations([first, second], [record(first)])).toEqual({ pending: [second], unknown: [] });
  });

  it('applies again a migration that was rolled back', () => {
    const rolledBack = record(first, { finishedAt: null, rolledBackAt: '2026-01-01 00:01:00.000' });
    expect(planMigrations([first], [rolledBack]).pending).toEqual([first]);
  });

  it('reports applied migrations it has no folder for', () => {
    expect(planMigrations([first], [record(first), record(second)]).unknown).toEqual([second.name]);
  });

  it('refuses to continue after a failed migration, naming it and its error', () => {
    const failed = record(second, { finishedAt: null, logs: 'ER_NO_SUCH_TABLE: boom\nmore' });
    expect(() => planMigrations([first, second], [record(first), failed])).toThrow(
      expect.objectContaining({ code: 'FAILED_MIGRATION', message: expect.stringMatching(/20260102000000_more.*boom/) }),
    );
  });

  it('refuses an applied migration whose script was edited', () => {
    const edited = file(first.name, `${first.script}-- edited\n`);
    expect(() => planMigrations([edited], [record(first)])).toThrow(
      expect.objectContaining({ code: 'CHECKSUM_MISMATCH', message: expect.stringContaining(first.name) }),
    );
  });
});
