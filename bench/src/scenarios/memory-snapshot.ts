import { processMemory } from '../machine/proc-stats.js';
import type { LoadScenarioRecord, MemoryRecord } from '../report/bench-record.js';
import type { BenchContext } from './bench-context.js';

// S6: memory of every process right after the heaviest load (S3): resident now, and the highest peak seen
// in any run so far (each run's VmHWM, reset at its start where the kernel allows, and VmHWM now).

const NOT_OURS = new Set(['mariadb', 'mysql', 'redis', 'nats', 'harness']);

/** Reads the memory of the benchmark's own processes (not the shared servers, not the harness). */
export function memorySnapshot(ctx: BenchContext, after: string, load: readonly LoadScenarioRecord[]): MemoryRecord {
  const processes: MemoryRecord['processes'] = {};
  for (const { label, pid } of ctx.watched) {
    if (NOT_OURS.has(label.split('#')[0] ?? label)) continue;
    const now = processMemory(pid);
    const seen = load.flatMap((s) => s.targets.flatMap((t) => t.runs.map((r) => r.usage.processes[label]?.peakRssMb ?? 0)));
    processes[label] = {
      rssMb: Math.round((now?.rssMb ?? Number.NaN) * 10) / 10,
      peakRssMb: Math.round(Math.max(now?.peakRssMb ?? 0, ...seen) * 10) / 10,
    };
  }
  return { id: 'S6', after, processes };
}
