import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Command-line agents run as their users run them: the installed bin as a child process, in a working
// directory of its own, with a HOME (and config dirs) under a temp dir so nothing of the machine's user
// leaks in, and nothing but the gateway to talk to. Each run has a hard timeout and reports what it printed.

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** A scratch directory with `home/` and `work/`, removed by cleanup(). */
export function scratchDir(prefix: string): { root: string; home: string; work: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), `aigw-${prefix}-`));
  const home = join(root, 'home');
  const work = join(root, 'work');
  for (const dir of [home, work]) mkdirSync(dir, { recursive: true });
  return { root, home, work, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Runs `command args` in `cwd` with exactly `env` (plus PATH), killing it after `timeoutMs`. */
export function runCli(command: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs: number }): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The JSON objects of a JSON-lines output (stream-json), skipping lines that are not JSON. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      out.push(JSON.parse(trimmed) as Record<string, unknown>);
    } catch {
      // a progress line that happens to start with a brace
    }
  }
  return out;
}

/** An executable file under the repository's node_modules, or undefined. */
export function installedBin(relative: string): string | undefined {
  const path = join(REPO_ROOT, 'node_modules', relative);
  return existsSync(path) && statSync(path).size > 0 ? path : undefined;
}
