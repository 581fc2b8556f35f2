import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// `npm ci` (the Docker build, CI) refuses to run when package-lock.json disagrees with a workspace's
// package.json. Catch that here, where the message can say which workspace and what to do.

interface PackageJson {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface LockFile {
  packages?: Record<string, PackageJson & { link?: boolean; resolved?: string }>;
}

const FIX = 'run `npm install` and commit package-lock.json';

/** Workspace folders (repo-relative) matched by the root package.json's `workspaces` globs (`dir` or `dir/*`). */
export function workspaceDirs(repoRoot: string): string[] {
  const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
  return (root.workspaces ?? []).flatMap((pattern) => {
    const dirs = pattern.endsWith('/*')
      ? readdirSync(join(repoRoot, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern];
    // npm skips folders without a package.json, and so do we.
    return dirs.filter((dir) => existsSync(join(repoRoot, dir, 'package.json'))).sort();
  });
}

/** Problems that would make `npm ci` fail: workspaces or dependency ranges missing from the lock. */
export function checkLockSync(repoRoot: string): string[] {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as LockFile;
  const packages = lock.packages ?? {};
  const problems: string[] = [];
  for (const dir of ['', ...workspaceDirs(repoRoot)]) {
    const manifest = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as PackageJson;
    const locked = packages[dir];
    const label = dir === '' ? 'root package.json' : `${dir} (${manifest.name ?? '?'})`;
    if (locked === undefined) {
      problems.push(`${label} is not in package-lock.json: ${FIX}`);
      continue;
    }
    if (dir !== '' && packages[`node_modules/${manifest.name ?? ''}`]?.resolved !== dir) {
      problems.push(`${label} is not linked in package-lock.json: ${FIX}`);
    }
    for (const field of ['dependencies', 'devDependencies'] as const) {
      const wanted = manifest[field] ?? {};
      const have = locked[field] ?? {};
      for (const name of new Set([...Object.keys(wanted), ...Object.keys(have)])) {
        if (wanted[name] !== have[name]) {
          problems.push(`${label} ${field}.${name}: package.json says ${wanted[name] ?? 'nothing'}, the lock ${have[name] ?? 'nothing'}: ${FIX}`);
        }
      }
    }
  }
  return problems;
}
