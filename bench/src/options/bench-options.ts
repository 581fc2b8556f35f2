// What one `npm run bench` measures, from `--name=value` arguments (or BENCH_* environment variables;
// arguments win). `--quick` lowers every default so that the whole set runs in about two minutes.

export const SCENARIO_IDS = ['S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export const TARGET_NAMES = ['direct', 'proxy-hop', 'portkey', 'gateway'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export type LoadGeneratorName = 'wrk' | 'autocannon';

export interface BenchOptions {
  quick: boolean;
  scenarios: ScenarioId[];
  targets: TargetName[];
  /** Measured runs per scenario and target; the report gives their medians. */
  runs: number;
  /** Seconds of one measured run. */
  durationSeconds: number;
  /** Seconds of unrecorded load per scenario and target before its first run. */
  warmupSeconds: number;
  /** Seconds after which a request counts as a timeout. */
  timeoutSeconds: number;
  /** Concurrent streams of S4. */
  streamConnections: number;
  /** Events S5 publishes and has the logging service write. */
  logEvents: number;
  loadGenerator: LoadGeneratorName;
  model: string;
  /** When set, every gateway service writes a V8 CPU profile (`--cpu-prof`) under this directory. */
  profileDir: string | undefined;
}

interface NumberField {
  key: 'runs' | 'durationSeconds' | 'warmupSeconds' | 'timeoutSeconds' | 'streamConnections' | 'logEvents';
  arg: string;
  env: string;
  full: number;
  quick: number;
  min: number;
}

const NUMBER_FIELDS: readonly NumberField[] = [
  { key: 'runs', arg: 'runs', env: 'BENCH_RUNS', full: 3, quick: 1, min: 1 },
  { key: 'durationSeconds', arg: 'duration', env: 'BENCH_DURATION', full: 10, quick: 3, min: 1 },
  { key: 'warmupSeconds', arg: 'warmup', env: 'BENCH_WARMUP', full: 3, quick: 1, min: 0 },
  { key: 'timeoutSeconds', arg: 'timeout', env: 'BENCH_TIMEOUT', full: 5, quick: 5, min: 1 },
  { key: 'streamConnections', arg: 's4-connections', env: 'BENCH_S4_CONNECTIONS', full: 10, quick: 10, min: 1 },
  { key: 'logEvents', arg: 's5-events', env: 'BENCH_S5_EVENTS', full: 1_000_000, quick: 50_000, min: 1_000 },
];

export const USAGE = `npm run bench -- [--quick] [--scenarios=S0,S1,S2,S3,S4,S5,S6,S7,S8] [--targets=direct,proxy-hop,portkey,gateway]
                 [--runs=3] [--duration=10] [--warmup=3] [--timeout=5] [--s4-connections=10] [--s5-events=1000000]
                 [--load-generator=wrk|autocannon] [--model=gpt-4o-mini] [--profile=DIR]
  --quick: runs=1 duration=3 warmup=1 s5-events=50000 unless given.
  --profile: each gateway service writes a V8 CPU profile (--cpu-prof) to DIR/<service>/ when it stops,
             summarised in DIR/summary.md (open the profiles in Chrome DevTools or speedscope);
             profiling slows the services, so use it for where the time goes, not how fast.
  Environment: BENCH_RUNS, BENCH_DURATION, BENCH_WARMUP, BENCH_TIMEOUT, BENCH_S4_CONNECTIONS, BENCH_S5_EVENTS,
  BENCH_SCENARIOS, BENCH_TARGETS, BENCH_LOAD_GENERATOR, BENCH_MODEL, BENCH_PROFILE.`;

/** Parses the options; throws with the usage text on anything it does not understand. */
export function parseBenchOptions(args: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const given = new Map<string, string>();
  let quick = false;
  for (const arg of args) {
    if (arg === '--quick') {
      quick = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    const match = /^--([a-z0-9-]+)=(.*)$/.exec(arg);
    if (!match?.[1] || match[2] === undefined) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    given.set(match[1], match[2]);
  }
  const known = new Set([...NUMBER_FIELDS.map((f) => f.arg), 'scenarios', 'targets', 'load-generator', 'model', 'profile']);
  for (const name of given.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}\n${USAGE}`);
  const raw = (arg: string, envName: string): string | undefined => {
    const value = given.get(arg) ?? env[envName];
    return value === undefined || value === '' ? undefined : value;
  };

  const numbers = {} as Record<NumberField['key'], number>;
  for (const field of NUMBER_FIELDS) {
    const text = raw(field.arg, field.env);
    const value = text === undefined ? (quick ? field.quick : field.full) : Number(text);
    if (!Number.isInteger(value) || value < field.min) {
      throw new Error(`--${field.arg} must be an integer ≥ ${field.min}, got ${text}\n${USAGE}`);
    }
    numbers[field.key] = value;
  }
  const loadGenerator = raw('load-generator', 'BENCH_LOAD_GENERATOR') ?? 'wrk';
  if (loadGenerator !== 'wrk' && loadGenerator !== 'autocannon') {
    throw new Error(`--load-generator must be wrk or autocannon, got ${loadGenerator}\n${USAGE}`);
  }
  return {
    quick,
    scenarios: listOption(raw('scenarios', 'BENCH_SCENARIOS'), SCENARIO_IDS, 'scenarios'),
    targets: listOption(raw('targets', 'BENCH_TARGETS'), TARGET_NAMES, 'targets'),
    ...numbers,
    loadGenerator,
    model: raw('model', 'BENCH_MODEL') ?? 'gpt-4o-mini',
    profileDir: raw('profile', 'BENCH_PROFILE'),
  };
}

/** A comma-separated subset of `allowed` (case-insensitive), in the canonical order; all of them when absent. */
function listOption<T extends string>(text: string | undefined, allowed: readonly T[], name: string): T[] {
  if (text === undefined) return [...allowed];
  const wanted = new Set(text.split(',').map((item) => item.trim().toLowerCase()).filter((item) => item !== ''));
  const unknown = [...wanted].filter((item) => !allowed.some((a) => a.toLowerCase() === item));
  if (unknown.length > 0 || wanted.size === 0) {
    throw new Error(`--${name} takes a comma-separated subset of ${allowed.join(',')}; got ${text}\n${USAGE}`);
  }
  return allowed.filter((a) => wanted.has(a.toLowerCase()));
}
