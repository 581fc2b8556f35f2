import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationChecksum, readMigrationFiles, scriptMatchesChecksum } from './migration-files.js';

describe('migrationChecksum', () => {
  it('is the zero-padded hex SHA-256 Prisma stores', () => {
    // The vector from Prisma's own checksum tests.
    expect(migrationChecksum('hello')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });
});

describe('scriptMatchesChecksum', () => {
  it('ignores a change of line endings only', () => {
    const unix = 'CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\n';
    const windows = unix.replaceAll('\n', '\r\n');
    expect(scriptMatchesChecksum(windows, migrationChecksum(unix))).toBe(true);
    expect(scriptMatchesChecksum(unix, migrationChecksum(windows))).toBe(true);
  });

  it('sees any other edit', () => {
    expect(scriptMatchesChecksum('abc\n', migrationChecksum('abc'))).toBe(false);
  });
});

describe('readMigrationFiles', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  async function folder(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'aigw-migrations-'));
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    return dir;
  }

  it('lists folders in name order with their checksums and skips loose files', async () => {
    const migrations = await folder({
      'migration_lock.toml': 'provider = "mysql"\n',
      '20250102000000_second/migration.sql': 'SELECT 2;\n',
      '20250101000000_first/migration.sql': 'SELECT 1;\n',
      'README.md': 'not a migration',
    });
    const files = await readMigrationFiles(migrations);
    expect(files.map((file) => file.name)).toEqual(['20250101000000_first', '20250102000000_second']);
    expect(files[0]?.checksum).toBe(migrationChecksum('SELECT 1;\n'));
  });

  it('refuses folders written for another provider', async () => {
    const migrations = await folder({ 'migration_lock.toml': 'provider = "postgresql"\n' });
    await expect(readMigrationFiles(migrations)).rejects.toMatchObject({ code: 'PROVIDER_MISMATCH' });
  });

  it('refuses a folder without migration.sql', async () => {
    const migrations = await folder({ '20250101000000_empty/notes.txt': '' });
    await expect(readMigrationFiles(migrations)).rejects.toMatchObject({ code: 'MIGRATION_SCRIPT_MISSING' });
  });
});
