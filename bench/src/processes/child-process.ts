import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// A helper process of the benchmark (emulator, proxy hop, Portkey) in its own process, so that it never
// shares an event loop with the harness or the load generator. It is ready when a stdout line matches.

/** The repository root: the working directory where `node --import tsx` finds tsx and the sources. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Arguments that run a TypeScript entry of this repository the way the services run. */
export function tsEntryArgs(entryFromRoot: string, ...args: string[]): string[] {
  return ['--conditions=aigw-source', '--import', 'tsx', entryFromRoot, ...args];
}

export interface ChildOptions {
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** The first stdout line this matches marks the process ready; its match is returned. */
  readyLine: RegExp;
  readyTimeoutMs?: number;
}

export interface RunningChild {
  label: string;
  pid: number;
  /** The readyLine match. */
  ready: RegExpExecArray;
  /** The last lines of output, for error messages. */
  tail(): string;
  /** SIGTERM, SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

const TAIL_LINES = 30;

/** Spawns the process and resolves once it printed its ready line; rejects (and kills it) otherwise. */
export async function startChild(options: ChildOptions): Promise<RunningChild> {
  const child = spawn(options.command, options.args, {
    cwd: REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
  };
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // A crashed harness must not leave helpers behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const tail = () => lines.join('\n') || '(no output)';
  createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', keep);

  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.label} not ready after ${options.readyTimeoutMs ?? 60_000} ms:\n${tail()}`)), options.readyTimeoutMs ?? 60_000);
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      keep(line);
      const match = options.readyLine.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${options.label} could not be spawned: ${error.message}`));
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${options.label} exited (${describeExit(child)}) before it was ready:\n${tail()}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });

  return {
    label: options.label,
    pid: child.pid ?? 0,
    ready,
    tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}

function describeExit(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `code ${String(child.exitCode)}`;
}
