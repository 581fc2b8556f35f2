import { runMeasured } from '../load/measured-command.js';
import { startMeasurement } from '../measure/process-monitor.js';
import { tsEntryArgs } from '../processes/child-process.js';
import type { StreamResult, StreamScenarioRecord, StreamSummary, TargetRecord } from '../report/bench-record.js';
import { withStreamOverheads } from '../report/summarise.js';
import { chatRequest, probeTarget, type Target } from '../targets/target.js';
import { isAvailable, progress, type BenchContext } from './bench-context.js';
import { STREAM_SCENARIO, streamDirective } from './scenario-defs.js';

// S4: OpenAI streaming, the upstream sending 20 content chunks 10 ms apart. The stream client runs in its
// own process per run (processes/stream-client-main.ts); targets take turns as in S0–S3.

/** One run; `processCpuSeconds` also counts the client's start-up, which its own figure leaves out. */
async function streamRun(ctx: BenchContext, target: Target, durationSeconds: number): Promise<{ result: StreamResult; processCpuSeconds: number }> {
  const request = chatRequest(target, ctx.options.model, streamDirective(STREAM_SCENARIO.chunks, STREAM_SCENARIO.chunkDelayMs), true);
  const job = {
    url: request.url,
    headers: request.headers,
    body: request.body,
    connections: ctx.options.streamConnections,
    durationSeconds,
    timeoutSeconds: ctx.options.timeoutSeconds,
  };
  const output = await runMeasured(process.execPath, tsEntryArgs('bench/src/processes/stream-client-main.ts'), {
    ...process.env,
    BENCH_STREAM_JOB: JSON.stringify(job),
  });
  if (output.code !== 0) throw new Error(`stream client exited with ${output.code}: ${output.stderr.trim()}`);
  const result = JSON.parse(output.stdout.trim().split('\n').at(-1) ?? '{}') as StreamResult;
  return { result, processCpuSeconds: output.cpuSeconds };
}

/** Runs S4 over every available target. */
export async function runStreamScenario(ctx: BenchContext): Promise<StreamScenarioRecord> {
  const { options } = ctx;
  const records: TargetRecord<StreamResult, StreamSummary>[] = [];
  const ready: { target: Target; record: TargetRecord<StreamResult, StreamSummary> }[] = [];
  for (const target of ctx.targets) {
    const record: TargetRecord<StreamResult, StreamSummary> = { target: target.name, runs: [] };
    records.push(record);
    if (!isAvailable(target)) {
      record.unavailable = target.reason;
      continue;
    }
    const failure = await probeTarget(target, chatRequest(target, options.model, streamDirective(STREAM_SCENARIO.chunks, STREAM_SCENARIO.chunkDelayMs), true));
    if (failure !== undefined) {
      record.unavailable = `probe failed: ${failure}`;
      progress(`S4 ${target.name} not measured: ${record.unavailable}`);
      continue;
    }
    ready.push({ target, record });
  }
  if (options.warmupSeconds > 0) {
    for (const { target } of ready) {
      progress(`S4 warm-up ${target.name} (${options.warmupSeconds} s)`);
      const warm = await streamRun(ctx, target, options.warmupSeconds);
      if (target.name === 'gateway') ctx.gatewayResponses += warm.result.streams;
    }
  }
  for (let run = 1; run <= options.runs; run++) {
    for (const { target, record } of ready) {
      const measurement = startMeasurement(ctx.watched);
      const { result, processCpuSeconds } = await streamRun(ctx, target, options.durationSeconds);
      const usage = measurement.finish(processCpuSeconds);
      if (target.name === 'gateway') ctx.gatewayResponses += result.streams;
      record.runs.push({ run, result, usage });
      const e = result.errors;
      progress(
        `S4 ${target.name} run ${run}/${options.runs}: ${result.streamsPerSecond.toFixed(1)} streams/s, ` +
          `TTFB p50 ${result.ttfbMs.p50.toFixed(3)} ms, total p50 ${result.totalMs.p50.toFixed(2)} ms, ` +
          `events ${result.eventsPerStream}, errors ${e.failed + e.timeout + e.non2xx + e.incomplete}`,
      );
    }
  }
  withStreamOverheads(records);
  return { id: STREAM_SCENARIO.id, title: STREAM_SCENARIO.title, connections: options.streamConnections, targets: records };
}
