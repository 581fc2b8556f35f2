import { readFileSync, writeFileSync } from 'node:fs';

// Linux /proc readings: CPU time and memory of one process, and the whole machine's CPU time, so that a run
// can say how much CPU each process used and how much went to processes that are not part of the benchmark.

/** USER_HZ: the unit of /proc/<pid>/stat and /proc/stat times; 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

/** utime + stime of a process (all its threads) in seconds; undefined once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_SECOND : undefined;
}

export interface ProcessMemory {
  /** Resident set size now, MB. */
  rssMb: number;
  /** Peak resident set size since start or the last resetPeakRss(), MB. */
  peakRssMb: number;
}

/** VmRSS and VmHWM of a process; undefined once it is gone. */
export function processMemory(pid: number): ProcessMemory | undefined {
  const status = readText(`/proc/${pid}/status`);
  if (status === undefined) return undefined;
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

/** Resets VmHWM to the current RSS (`5` > clear_refs, Linux ≥ 4.0); false when not permitted. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface MachineCpu {
  /** CPU seconds spent by processes (user, nice, system), summed over every core. */
  processSeconds: number;
  /** CPU seconds in interrupt and softirq context: loopback TCP work that no process is charged with. */
  interruptSeconds: number;
  /** CPU seconds the hypervisor gave to someone else while this machine wanted to run. */
  stealSeconds: number;
}

/** The machine-wide counters of the first line of /proc/stat. */
export function machineCpu(): MachineCpu {
  const line = readText('/proc/stat')?.split('\n', 1)[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values;
  return {
    processSeconds: (user + nice + system) / TICKS_PER_SECOND,
    interruptSeconds: (irq + softirq) / TICKS_PER_SECOND,
    stealSeconds: steal / TICKS_PER_SECOND,
  };
}

/** The process's own command name (`/proc/<pid>/comm`). */
export function processName(pid: number): string | undefined {
  return readText(`/proc/${pid}/comm`)?.trim();
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
