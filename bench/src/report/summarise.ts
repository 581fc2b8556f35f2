import type { LoadResult } from '../load/load-request.js';
import type { RunUsage } from '../measure/process-monitor.js';
import { median } from '../measure/stats.js';
import type { LoadSummary, Percentiles, RunRecord, StreamResult, StreamSummary, TargetRecord } from './bench-record.js';

// Medians over repeated runs (each figure on its own), error totals, highest peak RSS, and the overhead
// of every target over `direct` in the same scenario.

const med = <T>(items: readonly T[], pick: (item: T) => number) => round(median(items.map(pick)));

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function usageSummary(usages: readonly RunUsage[]) {
  const labels = [...new Set(usages.flatMap((u) => Object.keys(u.processes)))];
  const cpuSeconds: Record<string, number> = {};
  const peakRssMb: Record<string, number> = {};
  for (const label of labels) {
    cpuSeconds[label] = med(usages, (u) => u.processes[label]?.cpuSeconds ?? Number.NaN);
    peakRssMb[label] = Math.max(...usages.map((u) => u.processes[label]?.peakRssMb ?? 0));
  }
  return { cpuSeconds, peakRssMb, otherCpuSeconds: med(usages, (u) => u.otherCpuSeconds) };
}

function percentiles(items: readonly Percentiles[]): Percentiles {
  return {
    p50: med(items, (p) => p.p50),
    p90: med(items, (p) => p.p90),
    p99: med(items, (p) => p.p99),
    p999: med(items, (p) => p.p999),
    mean: med(items, (p) => p.mean),
    max: med(items, (p) => p.max),
  };
}

/** The summary of one target's load runs. */
export function summariseLoad(runs: readonly RunRecord<LoadResult>[]): LoadSummary {
  const results = runs.map((r) => r.result);
  const sum = (pick: (r: LoadResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    requestsPerSecond: med(results, (r) => r.requestsPerSecond),
    latencyMs: percentiles(results.map((r) => r.latencyMs)),
    requests: sum((r) => r.requests),
    errors: {
      connect: sum((r) => r.errors.connect),
      read: sum((r) => r.errors.read),
      write: sum((r) => r.errors.write),
      timeout: sum((r) => r.errors.timeout),
      non2xx: sum((r) => r.errors.non2xx),
    },
    loadGeneratorCpuSeconds: med(results, (r) => r.loadGeneratorCpuSeconds),
    ...usageSummary(runs.map((r) => r.usage)),
  };
}

/** The summary of one target's stream runs. */
export function summariseStream(runs: readonly RunRecord<StreamResult>[]): StreamSummary {
  const results = runs.map((r) => r.result);
  const sum = (pick: (r: StreamResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    streamsPerSecond: med(results, (r) => r.streamsPerSecond),
    ttfbMs: percentiles(results.map((r) => r.ttfbMs)),
    totalMs: percentiles(results.map((r) => r.totalMs)),
    eventsPerStream: med(results, (r) => r.eventsPerStream),
    streams: sum((r) => r.streams),
    errors: {
      failed: sum((r) => r.errors.failed),
      timeout: sum((r) => r.errors.timeout),
      non2xx: sum((r) => r.errors.non2xx),
      incomplete: sum((r) => r.errors.incomplete),
    },
    clientCpuSeconds: med(results, (r) => r.clientCpuSeconds),
    ...usageSummary(runs.map((r) => r.usage)),
  };
}

/** Fills in every target's summary and its overhead over direct (when direct has figures). */
export function withLoadOverheads(targets: TargetRecord<LoadResult, LoadSummary>[]): void {
  for (const t of targets) if (t.runs.length > 0) t.summary = summariseLoad(t.runs);
  const direct = targets.find((t) => t.target === 'direct')?.summary;
  if (direct === undefined) return;
  for (const t of targets) {
    if (t.target === 'direct' || t.summary === undefined) continue;
    const l = t.summary.latencyMs;
    t.summary.overheadMs = {
      p50: round(l.p50 - direct.latencyMs.p50),
      p99: round(l.p99 - direct.latencyMs.p99),
      p999: round(l.p999 - direct.latencyMs.p999),
    };
  }
}

/** The same for S4: time-to-first-byte and whole-stream overheads. */
export function withStreamOverheads(targets: TargetRecord<StreamResult, StreamSummary>[]): void {
  for (const t of targets) if (t.runs.length > 0) t.summary = summariseStream(t.runs);
  const direct = targets.find((t) => t.target === 'direct')?.summary;
  if (direct === undefined) return;
  for (const t of targets) {
    if (t.target === 'direct' || t.summary === undefined) continue;
    t.summary.overheadMs = {
      ttfbP50: round(t.summary.ttfbMs.p50 - direct.ttfbMs.p50),
      ttfbP99: round(t.summary.ttfbMs.p99 - direct.ttfbMs.p99),
      totalP50: round(t.summary.totalMs.p50 - direct.totalMs.p50),
      totalP99: round(t.summary.totalMs.p99 - direct.totalMs.p99),
    };
  }
}
