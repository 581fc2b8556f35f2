import type { LoadResult } from '../load/load-request.js';
import { startMeasurement } from '../measure/process-monitor.js';
import type { LoadScenarioRecord, LoadSummary, TargetRecord } from '../report/bench-record.js';
import { withLoadOverheads } from '../report/summarise.js';
import type { LoadRequest } from '../load/load-request.js';
import { completeMarker } from '../load/stream-format.js';
import { chatRequest, probeTarget, responsesRequest, type Target } from '../targets/target.js';
import { isAvailable, progress, type BenchContext } from './bench-context.js';
import { delayDirective, type LoadScenario } from './scenario-defs.js';

// S0–S3: the same small chat completion at a fixed number of connections (S8: the same prompt as a streamed
// Responses call; wrk counts a response when its chunked body ends, and the probe checks that such a body
// ends with `response.completed`). Each target is probed once and
// warmed up, then the measured runs go round the targets in turn (run 1 of every target, then run 2 …), so
// that a burst of noise on the shared machine spreads over all of them instead of hitting one.

/** Runs one load scenario over every available target. */
export async function runLoadScenario(ctx: BenchContext, scenario: LoadScenario): Promise<LoadScenarioRecord> {
  const { options } = ctx;
  const directive = delayDirective(scenario.upstreamDelayMs);
  const requestFor = (target: Target): LoadRequest | { unavailable: string } =>
    scenario.api === 'responses' ? responsesRequest(target, options.model, directive) : chatRequest(target, options.model, directive, false);
  const records: TargetRecord<LoadResult, LoadSummary>[] = [];
  const ready: { target: Target; request: LoadRequest; record: TargetRecord<LoadResult, LoadSummary> }[] = [];
  for (const target of ctx.targets) {
    const record: TargetRecord<LoadResult, LoadSummary> = { target: target.name, runs: [] };
    records.push(record);
    if (!isAvailable(target)) {
      record.unavailable = target.reason;
      continue;
    }
    const request = requestFor(target);
    if ('unavailable' in request) {
      record.unavailable = request.unavailable;
      continue;
    }
    const failure = await probeTarget(target, request, scenario.api === 'responses' ? completeMarker('responses') : undefined);
    if (failure !== undefined) {
      record.unavailable = `probe failed: ${failure}`;
      progress(`${scenario.id} ${target.name} not measured: ${record.unavailable}`);
      continue;
    }
    ready.push({ target, request, record });
  }

  const load = (request: LoadRequest, durationSeconds: number) =>
    ctx.generator({
      request,
      connections: scenario.connections,
      durationSeconds,
      timeoutSeconds: options.timeoutSeconds,
    });

  if (options.warmupSeconds > 0) {
    for (const { target, request } of ready) {
      progress(`${scenario.id} warm-up ${target.name} (${options.warmupSeconds} s)`);
      const warm = await load(request, options.warmupSeconds);
      if (target.name === 'gateway') ctx.gatewayResponses += warm.requests - warm.errors.non2xx;
    }
  }
  for (let run = 1; run <= options.runs; run++) {
    for (const { target, request, record } of ready) {
      const measurement = startMeasurement(ctx.watched);
      const result = await load(request, options.durationSeconds);
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
