import { cpus, loadavg, platform, release, totalmem } from 'node:os';

// The machine a result was measured on, and how busy it was: other work on a 2-core box moves every figure.

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  platform: string;
  kernel: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    platform: platform(),
    kernel: release(),
    node: process.version,
  };
}

/** 1-, 5- and 15-minute load averages, two decimals. */
export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = loadavg().map((v) => Math.round(v * 100) / 100);
  return [one, five, fifteen];
}

/** A warning when the 1-minute load average says other work is running (above a quarter of the cores). */
export function busyWarning(load: readonly number[]): string | undefined {
  const one = load[0] ?? 0;
  const limit = cpus().length / 4;
  return one > limit ? `machine busy: 1-minute load average ${one} on ${cpus().length} cores before this run` : undefined;
}
