import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SERVICE_ENV, SERVICE_NODE_FLAGS } from './node-flags.js';

// One service as a child process, run exactly the way production runs it. Every stdout/stderr line is
// kept (tests scan them for secrets) and `{"msg":"ready"}` marks the moment it can take traffic.

/** The five services of the gateway, in the order they start. */
export const SERVICE_NAMES = ['selector', 'auth', 'provider-call', 'logging', 'ingress'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The repository root, where `node --import tsx` resolves tsx and the services' sources. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One captured output line of one service process. */
export interface LogLine {
  service: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface ServiceProcessOptions {
  name: ServiceName;
  index: number;
  env: NodeJS.ProcessEnv;
  /** Extra node options placed before the entry (e.g. `--cpu-prof`); none by default. */
  nodeArgs?: readonly string[];
  /** `source` runs `src/main.ts` through tsx; `compiled` runs `dist/main.js` (after `npm run build`). */
  runtime?: ServiceRuntime;
  readyTimeoutMs: number;
  stopGraceMs: number;
  onLine: (line: LogLine) => void;
}

/** Control over one running replica; `restart()` reuses its environment and ports. */
export interface ServiceHandle {
  readonly name: ServiceName;
  readonly index: number;
  /** Process id of the current incarnation (undefined while none runs). */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Sends `signal` and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after the grace period; resolves when the process has exited. */
  stop(): Promise<void>;
  /** Stops the process if it runs, starts it again and waits until it is ready. */
  restart(): Promise<void>;
}

/** How a service process runs: from TypeScript sources through tsx, or from the JavaScript `npm run build` emits. */
export type ServiceRuntime = 'source' | 'compiled';

/** The node arguments that start service `name` under `runtime`, after the production V8 settings. */
export function entryArgs(name: ServiceName, runtime: ServiceRuntime): string[] {
  const entry = runtime === 'compiled' ? [`services/${name}/dist/main.js`] : ['--conditions=aigw-source', '--import', 'tsx', `services/${name}/src/main.ts`];
  return [...SERVICE_NODE_FLAGS, ...entry];
}
const TAIL_LINES = 40;

/** Whether a log line is the service's `{"msg":"ready"}` announcement. */
export function isReadyLine(line: string): boolean {
  if (!line.startsWith('{') || !line.includes('"ready"')) return false;
  try {
    return (JSON.parse(line) as { msg?: unknown }).msg === 'ready';
  } catch {
    return false;
  }
}

/** A service replica that can be started, stopped, killed and restarted. */
export class ServiceProcess implements ServiceHandle {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly tail: string[] = [];

  constructor(private readonly options: ServiceProcessOptions) {}

  get name(): ServiceName {
    return this.options.name;
  }

  get index(): number {
    return this.options.index;
  }

  get label(): string {
    return `${this.options.name}#${this.options.index}`;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns the process and resolves once it logged `ready`; rejects with its recent output otherwise. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.label} is already running`);
    this.tail.length = 0;
    const child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), ...entryArgs(this.options.name, this.options.runtime ?? 'source')], {
      cwd: REPO_ROOT,
      env: { ...SERVICE_ENV, ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C in the terminal reaches only the launcher, which then stops the
      // services in order with one SIGTERM each (a second signal would make a service skip its drain).
      detached: true,
    });
    this.child = child;
    // 'close' rather than 'exit': by then every output line has been read, so errors show the last words.
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));

    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream], crlfDelay: Infinity }).on('line', (line) => {
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
        this.options.onLine({ service: this.label, stream, line });
        if (stream === 'stdout' && isReadyLine(line)) markReady();
      });
    }

    let timer: NodeJS.Timeout | undefined;
    const failure = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(this.startError(`could not be spawned: ${error.message}`)));
      this.exited.then(() => reject(this.startError(`exited (${this.exitDescription()}) before it was ready`)));
      timer = setTimeout(
        () => reject(this.startError(`was not ready after ${this.options.readyTimeoutMs} ms`)),
        this.options.readyTimeoutMs,
      );
    });
    try {
      await Promise.race([ready, failure]);
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return this.exited;
    this.child?.kill(signal);
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.running) return this.exited;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), this.options.stopGraceMs);
    try {
      await this.kill('SIGTERM');
    } finally {
      clearTimeout(timer);
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Kills at once without waiting; for process-exit handlers, which cannot wait. */
  killNow(): void {
    if (this.running) this.child?.kill('SIGKILL');
  }

  private exitDescription(): string {
    const child = this.child;
    if (child?.signalCode) return `signal ${child.signalCode}`;
    return `code ${String(child?.exitCode)}`;
  }

  private startError(reason: string): Error {
    const output = this.tail.length > 0 ? this.tail.join('\n') : '(no output)';
    return new Error(`${this.label} ${reason}. Last output:\n${output}`);
  }
}
