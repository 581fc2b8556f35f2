import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// S3 holds 1000 client connections, and as many again towards the upstream in every hop; the soft limit of
// open files must leave room. Node cannot raise its own limit, so the harness re-runs itself under a shell
// that does (`ulimit -n`), once, before anything has started. Children inherit the raised limit.

const WANTED = 65_536;
const ENOUGH = 16_384;
const REEXEC_MARK = 'AIGW_BENCH_ULIMIT_RAISED';

/** Soft and hard limits of open files of this process. */
export function openFileLimits(): { soft: number; hard: number } {
  const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  const value = (text: string | undefined) => (text === 'unlimited' || text === undefined ? Infinity : Number(text));
  return { soft: value(line?.[1]), hard: value(line?.[2]) };
}

/**
 * When the soft limit is low, re-runs this very process with it raised (to the hard limit, at most 65536) and
 * exits with the child's status; returns when nothing needed doing or raising is impossible (with a warning).
 */
export function ensureOpenFileLimit(): void {
  const { soft, hard } = openFileLimits();
  if (soft >= ENOUGH || process.env[REEXEC_MARK] === '1') {
    if (soft < ENOUGH) console.warn(`warning: open files limit is ${soft}; S3 (1000 connections) may fail to connect`);
    return;
  }
  const target = Math.min(hard, WANTED);
  if (target <= soft) {
    console.warn(`warning: open files limit is ${soft} (hard ${hard}); S3 (1000 connections) may fail to connect`);
    return;
  }
  const result = spawnSync('sh', ['-c', `ulimit -n ${target} && exec "$0" "$@"`, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [REEXEC_MARK]: '1' },
  });
  process.exit(result.status ?? 1);
}
