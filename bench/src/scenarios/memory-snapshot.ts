import { processMemory } from '../machine/proc-stats.js';
import type { RunUsage } from '../measure/process-monitor.js';
import type { MemoryRecord } from '../report/bench-record.js';
import type { BenchContext } from './bench-context.js';

// S6: memory of every process once the loads are over (S3's 1000 connections, S7's 100 KB bodies at 20
// connections, S8): resident now, and the highest peak seen in any run so far (each run's VmHWM, reset at
// its start where the kernel allows, and VmHWM now).

/** Any scenario record: its targets' runs carry what each process used. */
interface MeasuredScenario {
  targets: readonly { runs: readonly { usage: RunUsage }[] }[];
}

const NOT_OURS = new Set(['mariadb', 'mysql', 'redis', 'nats', 'harness']);

/** Reads the memory of the benchmark's own processes (not the shared servers, not the harness). */
export function memorySnapshot(ctx: BenchContext, after: string, scenarios: readonly MeasuredScenario[]): MemoryRecord {
  const processes: MemoryRecord['processes'] = {};
  for (const { label, pid } of ctx.watched) {
    if (NOT_OURS.has(label.split('#')[0] ?? label)) continue;
    const now = processMemory(pid);
    const seen = scenarios.flatMap((s) => s.targets.flatMap((t) => t.runs.map((r) => r.usage.processes[label]?.peakRssMb ?? 0)));
    processes[label] = {
      rssMb: Math.round((now?.rssMb ?? Number.NaN) * 10) / 10,
      peakRssMb: Math.round(Math.max(now?.peakRssMb ?? 0, ...seen) * 10) / 10,
    };
  }
  return { id: 'S6', after, processes };
}
