import { cpus } from 'node:os';
import type { BenchRecord } from './bench-record.js';

// How noisy the machine was: the share of measured runs that began with other work running (1-minute load
// average above a quarter of the cores) and the CPU the rest of the machine used during the runs.

/** One warning line, or undefined when every run started on a quiet machine. */
export function noiseWarning(record: BenchRecord): string | undefined {
  const usages = [
    ...record.load.flatMap((s) => s.targets.flatMap((t) => t.runs.map((r) => r.usage))),
    ...(record.stream?.targets.flatMap((t) => t.runs.map((r) => r.usage)) ?? []),
  ];
  if (usages.length === 0) return undefined;
  const limit = cpus().length / 4;
  const busy = usages.filter((u) => u.loadAverageStart[0] > limit);
  if (busy.length === 0) return undefined;
  const highest = Math.max(...usages.map((u) => u.loadAverageStart[0]));
  const other = usages.reduce((total, u) => total + u.otherCpuSeconds, 0);
  const busyCpu = usages.reduce((total, u) => total + u.machineBusySeconds, 0);
  const steal = usages.reduce((total, u) => total + (u.stealSeconds ?? 0), 0);
  return (
    `machine busy: ${busy.length} of ${usages.length} measured runs started with a 1-minute load average above ${limit} ` +
    `(highest ${highest}); processes outside the benchmark used ${other.toFixed(0)} of the ${busyCpu.toFixed(0)} process CPU seconds ` +
    `during the runs${steal >= 1 ? ` (and the hypervisor took ${steal.toFixed(0)} s)` : ''}. Figures are noisy.`
  );
}
