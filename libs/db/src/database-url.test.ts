import { describe, expect, it } from 'vitest';
import { describeConnection, parseDatabaseUrl, redactPassword, toDriverConfig, withDatabase } from './database-url.js';

describe('parseDatabaseUrl', () => {
  it('reads every part and decodes percent escapes', () => {
    expect(parseDatabaseUrl('mysql://app%40x:p%3Ass@db.local:3307/aigw')).toEqual({
      host: 'db.local',
      port: 3307,
      user: 'app@x',
      password: 'p:ss',
      database: 'aigw',
    });
  });

  it('defaults the port and allows a server-only URL', () => {
    const connection = parseDatabaseUrl('mariadb://root@[::1]');
    expect(connection).toMatchObject({ host: '::1', port: 3306, password: '', database: '' });
    expect(toDriverConfig(connection)).not.toHaveProperty('database');
  });

  it('never echoes the URL when it cannot be parsed', () => {
    for (const url of ['mysql//root:hunter2@x', 'postgres://root:hunter2@x/db', 'mysql://root:hunter2@/db']) {
      const error = (() => {
        try {
          parseDatabaseUrl(url);
        } catch (thrown) {
          return thrown as Error;
        }
        throw new Error(`accepted ${url}`);
      })();
      expect(error.message).toMatch(/DATABASE_URL/);
      expect(error.message).not.toContain('hunter2');
    }
  });
});

describe('withDatabase', () => {
  it('swaps the database and keeps everything else', () => {
    expect(withDatabase('mysql://root:pw@127.0.0.1:3306', 'aigw_test_1')).toBe('mysql://root:pw@127.0.0.1:3306/aigw_test_1');
    expect(withDatabase('mysql://root@h/old?x=1', 'new')).toBe('mysql://root@h/new?x=1');
  });
});

describe('describeConnection', () => {
  it('leaves the password out', () => {
    expect(describeConnection(parseDatabaseUrl('mysql://app:secret@h:1/db'))).toBe('app@h:1/db');
  });
});

describe('redactPassword', () => {
  it('masks the password as written, decoded and encoded', () => {
    const url = 'mysql://app:s%40cret@h/db';
    expect(redactPassword(`failed for ${url} with s@cret`, url)).toBe('failed for mysql://app:***@h/db with ***');
  });

  it('leaves text alone when there is no password', () => {
    expect(redactPassword('nothing to hide', 'mysql://root@h/db')).toBe('nothing to hide');
  });
});
