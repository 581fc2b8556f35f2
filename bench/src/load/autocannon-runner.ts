import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadRun } from './load-request.js';
import { runMeasured } from './measured-command.js';

// The fallback when wrk cannot be had: autocannon's CLI in its own process (never in the harness's event
// loop). It records latency in whole milliseconds, so S0's sub-millisecond figures lose their precision;
// the report says which tool measured.

const AUTOCANNON_BIN = fileURLToPath(new URL('../../../node_modules/autocannon/autocannon.js', import.meta.url));

interface AutocannonJson {
  duration: number;
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; p99_9?: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** Runs autocannon once for `run`. */
export async function runAutocannon(run: LoadRun): Promise<LoadResult> {
  const headers = Object.entries(run.request.headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
  const args = [AUTOCANNON_BIN, '-j', '-c', String(run.connections), '-d', String(run.durationSeconds), '-t', String(run.timeoutSeconds)];
  args.push('-m', run.request.method, ...headers, '-b', run.request.body, run.request.url);
  const output = await runMeasured(process.execPath, args);
  if (output.code !== 0) throw new Error(`autocannon exited with ${output.code}: ${output.stderr.trim()}`);
  const json = JSON.parse(output.stdout.trim().split('\n').at(-1) ?? '{}') as AutocannonJson;
  return {
    tool: 'autocannon',
    connections: run.connections,
    durationSeconds: json.duration,
    requests: json.requests.total,
    requestsPerSecond: json.duration > 0 ? json.requests.total / json.duration : 0,
    latencyMs: {
      p50: json.latency.p50,
      p90: json.latency.p90,
      p99: json.latency.p99,
      p999: json.latency.p99_9 ?? Number.NaN,
      mean: json.latency.average,
      max: json.latency.max,
    },
    // autocannon counts connect, read and write failures together as errors.
    errors: { connect: json.errors, read: 0, write: 0, timeout: json.timeouts, non2xx: json.non2xx },
    loadGeneratorCpuSeconds: output.cpuSeconds,
  };
}
