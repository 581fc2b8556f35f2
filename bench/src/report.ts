import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions } from './bench-options.js';
import type { RunSummary } from './load-run.js';

// The printed table and the JSON record of one benchmark (bench/results/<timestamp>.json).

export interface BenchRecord {
  startedAt: string;
  scenario: string;
  options: BenchOptions;
  machine: { cpus: number; cpuModel: string; platform: string; release: string; node: string };
  runs: RunSummary[];
  /** Gateway minus direct: what the gateway adds to every request. */
  overheadMs: { p50: number; p99: number } | undefined;
}

const COLUMNS: [string, (run: RunSummary) => string][] = [
  ['run', (r) => r.name],
  ['req/s', (r) => r.requestsPerSecond.toFixed(1)],
  ['p50 ms', (r) => r.latencyMs.p50.toFixed(2)],
  ['p99 ms', (r) => r.latencyMs.p99.toFixed(2)],
  ['avg ms', (r) => r.latencyMs.average.toFixed(2)],
  ['requests', (r) => String(r.requests)],
  ['errors', (r) => String(r.errors)],
  ['timeouts', (r) => String(r.timeouts)],
  ['non-2xx', (r) => String(r.non2xx)],
];

/** A plain-text table of the runs, one row each. */
export function formatTable(runs: RunSummary[]): string {
  const rows = [COLUMNS.map(([title]) => title), ...runs.map((run) => COLUMNS.map(([, cell]) => cell(run)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(rows[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Builds the record of a finished benchmark. */
export function benchRecord(startedAt: Date, scenario: string, options: BenchOptions, runs: RunSummary[]): BenchRecord {
  const direct = runs.find((r) => r.name === 'direct');
  const gateway = runs.find((r) => r.name === 'gateway');
  return {
    startedAt: startedAt.toISOString(),
    scenario,
    options,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      platform: platform(),
      release: release(),
      node: process.version,
    },
    runs,
    overheadMs:
      direct && gateway
        ? { p50: gateway.latencyMs.p50 - direct.latencyMs.p50, p99: gateway.latencyMs.p99 - direct.latencyMs.p99 }
        : undefined,
  };
}

/** Writes the record as `<dir>/<timestamp>.json` and returns the path. */
export function writeRecord(dir: string, record: BenchRecord): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${record.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}
