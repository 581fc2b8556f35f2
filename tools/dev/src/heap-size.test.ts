import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CGROUP_LIMIT_FILES, DEFAULT_HEAP_MB, containerMemoryLimit, heapPercentFrom, heapSizeMb } from './heap-size.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** A fake /sys/fs/cgroup: real files under a temp root, read through the same paths the image reads. */
function fakeCgroup(files: Partial<Record<(typeof CGROUP_LIMIT_FILES)[number], string>>): (path: string) => string {
  const root = mkdtempSync(join(tmpdir(), 'aigw-cgroup-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return (path) => readFileSync(join(root, path), 'utf8');
}
describe('containerMemoryLimit', () => {
  it('reads cgroup v2 memory.max, and "max" means no limit', () => {
    expect(containerMemoryLimit(fakeCgroup({ '/sys/fs/cgroup/memory.max': `${512 * MiB}\n` }), 64 * GiB)).toBe(512 * MiB);
    expect(containerMemoryLimit(fakeCgroup({ '/sys/fs/cgroup/memory.max': 'max\n' }), 64 * GiB)).toBeUndefined();
  });

  it('falls back to cgroup v1, whose "no limit" is a number near 2^63', () => {
    const v1 = '/sys/fs/cgroup/memory/memory.limit_in_bytes';
    expect(containerMemoryLimit(fakeCgroup({ [v1]: `${768 * MiB}` }), 64 * GiB)).toBe(768 * MiB);
    expect(containerMemoryLimit(fakeCgroup({ [v1]: '9223372036854771712' }), 64 * GiB)).toBeUndefined();
  });

  it('sees no limit outside a cgroup, or when the limit exceeds the machine', () => {
    expect(containerMemoryLimit(fakeCgroup({}), 64 * GiB)).toBeUndefined();
    expect(containerMemoryLimit(fakeCgroup({ '/sys/fs/cgroup/memory.max': `${128 * GiB}` }), 64 * GiB)).toBeUndefined();
  });
});

describe('heapSizeMb', () => {
  it('gives 75 % of the limit, so a larger pod limit gives more heap', () => {
    expect(heapSizeMb(512 * MiB)).toBe(384);
    expect(heapSizeMb(768 * MiB)).toBe(576);
    expect(heapSizeMb(2 * GiB)).toBe(1536);
  });

  it('keeps the local default without a limit and a floor for tiny limits', () => {
    expect(heapSizeMb(undefined)).toBe(DEFAULT_HEAP_MB);
    expect(heapSizeMb(48 * MiB)).toBe(64);
  });

  it('takes AIGW_HEAP_PERCENT and refuses nonsense', () => {
    expect(heapSizeMb(1 * GiB, heapPercentFrom({ AIGW_HEAP_PERCENT: '50' }))).toBe(512);
    expect(heapPercentFrom({})).toBe(75);
    expect(() => heapPercentFrom({ AIGW_HEAP_PERCENT: '150' })).toThrow(/AIGW_HEAP_PERCENT/);
    expect(() => heapPercentFrom({ AIGW_HEAP_PERCENT: 'lots' })).toThrow(/AIGW_HEAP_PERCENT/);
  });
});
