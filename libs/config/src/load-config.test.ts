import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, bool, encryptionKey, loadConfig, port, resolveFileSettings, z } from './index.js';

const schema = z.object({
  DATABASE_URL: z.string().min(1),
  GRPC_PORT: port(50051),
  VERBOSE: bool(false),
  KEY: encryptionKey(),
});

describe('loadConfig', () => {
  it('parses, applies defaults and freezes', () => {
    const cfg = loadConfig(schema, { DATABASE_URL: 'mysql://x', KEY: 'a'.repeat(64), VERBOSE: 'yes' });
    expect(cfg.GRPC_PORT).toBe(50051);
    expect(cfg.VERBOSE).toBe(true);
    expect(cfg.KEY.length).toBe(32);
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig(schema, { GRPC_PORT: 'abc', KEY: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('DATABASE_URL: missing');
      expect(problems).toContain('GRPC_PORT');
      expect(problems).toContain('KEY');
    }
  });
});

describe('settings from files (<NAME>_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-config-'));
  const secretFile = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads the trimmed content of the file as the value', () => {
    const cfg = loadConfig(schema, {
      DATABASE_URL_FILE: secretFile('db-url', 'mysql://app:s3cret@db/aigw\n'),
      KEY_FILE: secretFile('key', `  ${'b'.repeat(64)}\r\n`),
    });
    expect(cfg.DATABASE_URL).toBe('mysql://app:s3cret@db/aigw');
    expect(cfg.KEY.equals(Buffer.from('b'.repeat(64), 'hex'))).toBe(true);
  });

  it('refuses a setting given both ways', () => {
    expect(() =>
      loadConfig(schema, { DATABASE_URL: 'mysql://x', DATABASE_URL_FILE: secretFile('both', 'mysql://y'), KEY: 'a'.repeat(64) }),
    ).toThrow(/DATABASE_URL: set both DATABASE_URL and DATABASE_URL_FILE/);
  });

  it('reports an unreadable file by its path, once, and never prints a value', () => {
    try {
      loadConfig(schema, { DATABASE_URL_FILE: join(dir, 'missing'), KEY_FILE: secretFile('bad-key', 'hunter2') });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems.filter((p) => p.startsWith('DATABASE_URL:'))).toEqual([
        `DATABASE_URL: cannot read DATABASE_URL_FILE (${join(dir, 'missing')}): ENOENT`,
      ]);
      expect(problems.join('\n')).toContain('KEY: must be 32 bytes');
      expect(problems.join('\n')).not.toContain('hunter2');
    }
  });

  it('ignores _FILE for names the schema does not have', () => {
    expect(resolveFileSettings(['A'], { B_FILE: join(dir, 'missing'), A: '1' })).toEqual({
      values: { B_FILE: join(dir, 'missing'), A: '1' },
      problems: [],
    });
  });
});
