// What a run measures, from `--name=value` arguments or BENCH_* environment variables (arguments win).

export interface BenchOptions {
  /** Seconds each measured run lasts. */
  durationSeconds: number;
  /** Seconds of unrecorded load first, so that tsx compilation, JIT and connection pools settle. */
  warmupSeconds: number;
  /** Concurrent client connections. */
  connections: number;
  /** Latency the upstream emulator adds to every answer. */
  upstreamDelayMs: number;
  /** Model the gateway run asks for (must route to the OpenAI-format demo provider). */
  model: string;
}

const FIELDS = [
  { key: 'durationSeconds', arg: 'duration', env: 'BENCH_DURATION', fallback: 10, min: 1 },
  { key: 'warmupSeconds', arg: 'warmup', env: 'BENCH_WARMUP', fallback: 3, min: 0 },
  { key: 'connections', arg: 'connections', env: 'BENCH_CONNECTIONS', fallback: 50, min: 1 },
  { key: 'upstreamDelayMs', arg: 'delay-ms', env: 'BENCH_DELAY_MS', fallback: 0, min: 0 },
] as const;

export const USAGE = `npm run bench -- [--duration=10] [--warmup=3] [--connections=50] [--delay-ms=0] [--model=gpt-4o-mini]
  (or BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_DELAY_MS, BENCH_MODEL)`;

/** Parses the options; throws with the usage line on anything it does not understand. */
export function parseBenchOptions(args: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const given = new Map<string, string>();
  for (const arg of args) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match?.[1] || match[2] === undefined) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    given.set(match[1], match[2]);
  }
  const known = new Set<string>([...FIELDS.map((f) => f.arg), 'model']);
  for (const name of given.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}\n${USAGE}`);

  const numbers = Object.fromEntries(
    FIELDS.map(({ key, arg, env: envName, fallback, min }) => {
      const raw = given.get(arg) ?? env[envName];
      const value = raw === undefined || raw === '' ? fallback : Number(raw);
      if (!Number.isInteger(value) || value < min) throw new Error(`--${arg} must be an integer ≥ ${min}, got ${raw}\n${USAGE}`);
      return [key, value];
    }),
  ) as Record<(typeof FIELDS)[number]['key'], number>;
  return { ...numbers, model: given.get('model') ?? (env['BENCH_MODEL'] || 'gpt-4o-mini') };
}
