import { loadAverage } from '../machine/machine-info.js';
import type { LabelledPid } from '../machine/infra-processes.js';
import { machineCpu, processCpuSeconds, processMemory, resetPeakRss } from '../machine/proc-stats.js';

// What the processes of the benchmark cost during one measured run: CPU seconds per process (utime+stime
// deltas), peak RSS per process (VmHWM, reset at the start of the run where the kernel allows it; never for
// the shared servers, whose peak then counts from their start), and the CPU the rest of the machine used
// meanwhile (other people's tests on a shared box show up there).

export interface ProcessUsage {
  cpuSeconds: number;
  peakRssMb: number;
  rssMb: number;
}

export interface RunUsage {
  processes: Record<string, ProcessUsage>;
  /** CPU seconds of every process on the machine during the run (all cores; interrupts and steal apart). */
  machineBusySeconds: number;
  /** machineBusySeconds minus every process watched here and the load generator: noise from elsewhere. */
  otherCpuSeconds: number;
  /** Interrupt and softirq time (mostly loopback networking of the run itself). */
  interruptSeconds: number;
  /** Time the hypervisor took away: noise from other machines on the same host. */
  stealSeconds: number;
  /** How peak RSS was found: reset per run, or since process start when the kernel refused the reset. */
  peakRssScope: 'run' | 'process-lifetime';
  loadAverageStart: [number, number, number];
  loadAverageEnd: [number, number, number];
}

export interface RunningMeasurement {
  /** Ends the measurement; `extraCpuSeconds` is CPU measured elsewhere (the load generator, this harness). */
  finish(extraCpuSeconds: number): RunUsage;
}

/** Starts measuring `processes`; call finish() when the run is over. */
export function startMeasurement(processes: readonly LabelledPid[]): RunningMeasurement {
  const loadAverageStart = loadAverage();
  let resetAll = true;
  for (const { pid, shared } of processes) if (!shared) resetAll = resetPeakRss(pid) && resetAll;
  const cpuBefore = new Map(processes.map(({ label, pid }) => [label, processCpuSeconds(pid)]));
  const machineBefore = machineCpu();
  return {
    finish(extraCpuSeconds) {
      const machineAfter = machineCpu();
      const usage: Record<string, ProcessUsage> = {};
      let watched = extraCpuSeconds;
      for (const { label, pid } of processes) {
        const before = cpuBefore.get(label);
        const after = processCpuSeconds(pid);
        const memory = processMemory(pid);
        const cpuSeconds = before === undefined || after === undefined ? Number.NaN : after - before;
        if (!Number.isNaN(cpuSeconds)) watched += cpuSeconds;
        usage[label] = { cpuSeconds: round(cpuSeconds), peakRssMb: round(memory?.peakRssMb ?? Number.NaN), rssMb: round(memory?.rssMb ?? Number.NaN) };
      }
      const machineBusySeconds = machineAfter.processSeconds - machineBefore.processSeconds;
      return {
        processes: usage,
        machineBusySeconds: round(machineBusySeconds),
        otherCpuSeconds: round(Math.max(0, machineBusySeconds - watched)),
        interruptSeconds: round(machineAfter.interruptSeconds - machineBefore.interruptSeconds),
        stealSeconds: round(machineAfter.stealSeconds - machineBefore.stealSeconds),
        peakRssScope: resetAll ? 'run' : 'process-lifetime',
        loadAverageStart,
        loadAverageEnd: loadAverage(),
      };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
