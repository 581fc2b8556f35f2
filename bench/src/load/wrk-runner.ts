import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult, LoadRun } from './load-request.js';
import { runMeasured } from './measured-command.js';
import { parseWrkOutput, wrkScript } from './wrk-script.js';

// wrk with one thread: one event loop is plenty for these rates and leaves the second core to the target.

/** Runs wrk once for `run` and converts its microseconds into the report's milliseconds. */
export async function runWrk(run: LoadRun): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-bench-wrk-'));
  try {
    const script = join(dir, 'request.lua');
    writeFileSync(script, wrkScript(run.request));
    const args = ['-t1', `-c${run.connections}`, `-d${run.durationSeconds}s`, `--timeout`, `${run.timeoutSeconds}s`, '-s', script, run.request.url];
    const output = await runMeasured('wrk', args);
    if (output.code !== 0) throw new Error(`wrk exited with ${output.code}: ${output.stderr.trim() || output.stdout.trim()}`);
    const figures = parseWrkOutput(output.stdout);
    const seconds = figures.durationUs / 1e6;
    // With no response completed wrk reports zeros; they are no latencies.
    const ms = (us: number) => (figures.requests > 0 ? us / 1000 : Number.NaN);
    return {
      tool: 'wrk',
      connections: run.connections,
      durationSeconds: seconds,
      requests: figures.requests,
      requestsPerSecond: seconds > 0 ? figures.requests / seconds : 0,
      latencyMs: { p50: ms(figures.p50), p90: ms(figures.p90), p99: ms(figures.p99), p999: ms(figures.p999), mean: ms(figures.mean), max: ms(figures.max) },
      errors: { connect: figures.connect, read: figures.read, write: figures.write, timeout: figures.timeout, non2xx: figures.status },
      loadGeneratorCpuSeconds: output.cpuSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
