import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

// The container image's entrypoint (tools/dev/docker-entrypoint.sh) sizes V8's old generation from the memory
// limit of the container's cgroup, so that raising a pod's limit gives the process more heap. The rest of the
// limit (25 % by default) holds what is not old-generation heap: young generation (up to 48 MB), code, buffers,
// Prisma's WebAssembly query compiler and socket memory.

/** cgroup v2 (one file) first, then v1. */
export const CGROUP_LIMIT_FILES = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'] as const;
/** Without a limit (a host process, or a container run without one): the flag local stacks use (node-flags.ts). */
export const DEFAULT_HEAP_MB = 160;
export const DEFAULT_HEAP_PERCENT = 75;
/** Below this, V8 spends its time collecting garbage; a limit this small is a mistake the process should survive. */
export const MIN_HEAP_MB = 64;
const MIB = 1024 * 1024;

/**
 * The container's memory limit in bytes, or undefined when there is none: cgroup v2 writes `max`, v1 a number
 * near 2^63, and a limit above the machine's memory limits nothing.
 */
export function containerMemoryLimit(
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
  machineBytes: number = totalmem(),
): number | undefined {
  for (const path of CGROUP_LIMIT_FILES) {
    let text: string;
    try {
      text = readFile(path).trim();
    } catch {
      continue;
    }
    if (text === 'max') return undefined;
    const bytes = Number(text);
    if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes >= machineBytes) return undefined;
    return bytes;
  }
  return undefined;
}

/** `--max-old-space-size` in MB: `percent` of the limit, at least MIN_HEAP_MB; DEFAULT_HEAP_MB without a limit. */
export function heapSizeMb(limitBytes: number | undefined, percent: number = DEFAULT_HEAP_PERCENT): number {
  if (limitBytes === undefined) return DEFAULT_HEAP_MB;
  if (!(percent > 0 && percent <= 100)) throw new RangeError(`heap percent must be in (0, 100], got ${percent}`);
  return Math.max(MIN_HEAP_MB, Math.floor((limitBytes * percent) / 100 / MIB));
}

/** AIGW_HEAP_PERCENT, when set, replaces the default share of the limit. */
export function heapPercentFrom(env: NodeJS.ProcessEnv): number {
  const raw = env['AIGW_HEAP_PERCENT'];
  if (raw === undefined || raw === '') return DEFAULT_HEAP_PERCENT;
  const percent = Number(raw);
  if (!(percent > 0 && percent <= 100)) throw new RangeError(`AIGW_HEAP_PERCENT must be a number in (0, 100], got ${raw}`);
  return percent;
}
