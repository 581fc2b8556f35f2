import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const committed = join(root, 'libs/proto/src/gen');
const scratch = mkdtempSync(join(tmpdir(), 'aigw-proto-'));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('generated gRPC code', () => {
  it('matches what buf + ts-proto generate from proto/ today', () => {
    // buf writes the template's `out` below --output, so regenerate into a scratch root and compare.
    execFileSync(join(root, 'node_modules/.bin/buf'), ['generate', '--template', 'buf.gen.yaml', '--output', scratch], { cwd: root });
    const fresh = join(scratch, 'libs/proto/src/gen');
    const list = (dir: string) => files(dir).map((f) => relative(dir, f)).sort();
    expect(list(fresh)).toEqual(list(committed));
    for (const file of list(committed)) {
      expect(readFileSync(join(fresh, file), 'utf8'), `${file} is stale: run npm run generate`).toBe(readFileSync(join(committed, file), 'utf8'));
    }
  });
});
