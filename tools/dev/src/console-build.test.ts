import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleBuildStale } from './console-build.js';

const dir = mkdtempSync(join(tmpdir(), 'aigw-console-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const touch = (path: string, secondsAgo: number) => {
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, when, when);
};

describe('consoleBuildStale', () => {
  it('is stale without a build, fresh after one, stale again when a source changes', () => {
    mkdirSync(join(dir, 'src', 'pages'), { recursive: true });
    writeFileSync(join(dir, 'src', 'pages', 'a.tsx'), 'x');
    writeFileSync(join(dir, 'index.html'), 'x');
    touch(join(dir, 'src', 'pages', 'a.tsx'), 60);
    touch(join(dir, 'src', 'pages'), 60);
    touch(join(dir, 'src'), 60);
    touch(join(dir, 'index.html'), 60);
    expect(consoleBuildStale(dir)).toBe(true);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.html'), 'built');
    expect(consoleBuildStale(dir)).toBe(false);
    writeFileSync(join(dir, 'src', 'pages', 'a.tsx'), 'changed');
    touch(join(dir, 'dist', 'index.html'), 30);
    expect(consoleBuildStale(dir)).toBe(true);
  });
});
