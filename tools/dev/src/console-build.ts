import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './service-process.js';

// The web console (console/, served by ingress under /ui) is built by `npm run build`; local stacks (npm start,
// the end-to-end and browser tests) build it here when its build is missing or older than its sources.

export const CONSOLE_DIR = join(REPO_ROOT, 'console');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json'];

/** Newest modification time (ms) of a file or of any file under a directory; 0 when missing. */
export function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when console/dist lacks index.html or is older than any source of the console. */
export function consoleBuildStale(dir = CONSOLE_DIR): boolean {
  const built = newestMtime(join(dir, 'dist', 'index.html'));
  if (built === 0) return true;
  return SOURCES.some((source) => newestMtime(join(dir, source)) > built);
}

// Stacks started at once in one process (a test with two stacks) share one build instead of racing on dist/.
const building = new Map<string, Promise<boolean>>();

/** Builds the console with Vite when its build is stale; returns whether it built. */
export function ensureConsoleBuilt(dir = CONSOLE_DIR): Promise<boolean> {
  const pending = building.get(dir);
  if (pending !== undefined) return pending;
  const build = buildIfStale(dir).finally(() => building.delete(dir));
  building.set(dir, build);
  return build;
}

async function buildIfStale(dir: string): Promise<boolean> {
  if (!consoleBuildStale(dir)) return false;
  const vite = join(createRequire(join(dir, 'package.json')).resolve('vite/package.json'), '..', 'bin', 'vite.js');
  try {
    // Vite takes the mode from NODE_ENV when it is set (vitest sets `test`): a production build must say so, or
    // React's development build is bundled.
    const env = { ...process.env, NODE_ENV: 'production' };
    await promisify(execFile)(process.execPath, [vite, 'build', '--mode', 'production', '--logLevel', 'warn'], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`building the web console failed (cd console && npx vite build):\n${stderr || stdout || String(error)}`);
  }
  return true;
}
