import type { LoadResult } from '../load/load-request.js';
import { startMeasurement } from '../measure/process-monitor.js';
import type { LoadScenarioRecord, LoadSummary, TargetRecord } from '../report/bench-record.js';
import { withLoadOverheads } from '../report/summarise.js';
import { chatRequest, probeTarget, type Target } from '../targets/target.js';
import { isAvailable, progress, type BenchContext } from './bench-context.js';
import { delayDirective, type LoadScenario } from './scenario-defs.js';

// S0–S3: the same small chat completion at a fixed number of connections. Each target is probed once and
// warmed up, then the measured runs go round the targets in turn (run 1 of every target, then run 2 …), so
// that a burst of noise on the shared machine spreads over all of them instead of hitting one.

/** Runs one load scenario over every available target. */
export async function runLoadScenario(ctx: BenchContext, scenario: LoadScenario): Promise<LoadScenarioRecord> {
  const { options } = ctx;
  const directive = delayDirective(scenario.upstreamDelayMs);
  const records: TargetRecord<LoadResult, LoadSummary>[] = [];
  const ready: { target: Target; record: TargetRecord<LoadResult, LoadSummary> }[] = [];
  for (const target of ctx.targets) {
    const record: TargetRecord<LoadResult, LoadSummary> = { target: target.name, runs: [] };
    records.push(record);
    if (!isAvailable(target)) {
      record.unavailable = target.reason;
      continue;
    }
    const failure = await probeTarget(target, chatRequest(target, options.model, directive, false));
    if (failure !== undefined) {
      record.unavailable = `probe failed: ${failure}`;
      progress(`${scenario.id} ${target.name} not measured: ${record.unavailable}`);
      continue;
    }
    ready.push({ target, record });
  }

  const load = (target: Target, durationSeconds: number) =>
    ctx.generator({
      request: chatRequest(target, options.model, directive, false),
      connections: scenario.connections,
      durationSeconds,
      timeoutSeconds: options.timeoutSeconds,
    });

  if (options.warmupSeconds > 0) {
    for (const { target } of ready) {
      progress(`${scenario.id} warm-up ${target.name} (${options.warmupSeconds} s)`);
      const warm = await load(target, options.warmupSeconds);
      if (target.name === 'gateway') ctx.gatewayResponses += warm.requests - warm.errors.non2xx;
    }
  }
  for (let run = 1; run <= options.runs; run++) {
    for (const { target, record } of ready) {
      const measurement = startMeasurement(ctx.watched);
      const result = await load(target, options.durationSeconds);
      const usage = measurement.finish(result.loadGeneratorCpuSeconds);
      if (target.name === 'gateway') ctx.gatewayResponses += result.requests - result.errors.non2xx;
      record.runs.push({ run, result, usage });
      const e = result.errors;
      progress(
        `${scenario.id} ${target.name} run ${run}/${options.runs}: ${result.requestsPerSecond.toFixed(0)} req/s, ` +
          `p50 ${result.latencyMs.p50.toFixed(3)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms, ` +
          `errors ${e.connect + e.read + e.write}, non-2xx ${e.non2xx}, timeouts ${e.timeout}, load ${usage.loadAverageStart[0]}`,
      );
    }
  }
  withLoadOverheads(records);
  return {
    id: scenario.id,
    title: scenario.title,
    connections: scenario.connections,
    upstreamDelayMs: scenario.upstreamDelayMs,
    loadGenerator: ctx.generatorTool,
    targets: records,
  };
}
