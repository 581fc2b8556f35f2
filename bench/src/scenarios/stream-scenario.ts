import type { LoadRequest } from '../load/load-request.js';
import { runMeasured } from '../load/measured-command.js';
import { completeMarker, type StreamFormat } from '../load/stream-format.js';
import { startMeasurement } from '../measure/process-monitor.js';
import { tsEntryArgs } from '../processes/child-process.js';
import type { StreamResult, StreamScenarioRecord, StreamSummary, TargetRecord } from '../report/bench-record.js';
import { withStreamOverheads } from '../report/summarise.js';
import { chatRequest, probeTarget, responsesRequest, type Target } from '../targets/target.js';
import { isAvailable, progress, type BenchContext } from './bench-context.js';
import { RESPONSES_SCENARIO, STREAM_SCENARIO, streamDirective } from './scenario-defs.js';

// Streams measured per stream (S4, S7): the stream client runs in its own process per run
// (processes/stream-client-main.ts); targets take turns as in S0–S3.

/** One measured set of streams: which request each target gets, at how many connections. */
export interface StreamCase {
  id: string;
  title: string;
  connections: number;
  format: StreamFormat;
  /** The request for the target, or why the target cannot run this case (its column shows the reason). */
  request(target: Target): LoadRequest | { unavailable: string };
  /** Extra fields of the record (S7's route and body size). */
  extra?: Pick<StreamScenarioRecord, 'route' | 'bodyBytes'>;
}

/** One run; `processCpuSeconds` also counts the client's start-up, which its own figure leaves out. */
async function streamRun(ctx: BenchContext, c: StreamCase, request: LoadRequest, durationSeconds: number): Promise<{ result: StreamResult; processCpuSeconds: number }> {
  const job = {
    url: request.url,
    headers: request.headers,
    body: request.body,
    connections: c.connections,
    durationSeconds,
    timeoutSeconds: ctx.options.timeoutSeconds,
    format: c.format,
  };
  const output = await runMeasured(process.execPath, tsEntryArgs('bench/src/processes/stream-client-main.ts'), {
    ...process.env,
    BENCH_STREAM_JOB: JSON.stringify(job),
  });
  if (output.code !== 0) throw new Error(`stream client exited with ${output.code}: ${output.stderr.trim()}`);
  const result = JSON.parse(output.stdout.trim().split('\n').at(-1) ?? '{}') as StreamResult;
  return { result, processCpuSeconds: output.cpuSeconds };
}

/** Runs one stream case over every available target. */
export async function runStreamCase(ctx: BenchContext, c: StreamCase): Promise<StreamScenarioRecord> {
  const { options } = ctx;
  const label = `${c.id}${c.extra?.route ? ` ${c.extra.route}` : ''} ×${c.connections}`;
  const records: TargetRecord<StreamResult, StreamSummary>[] = [];
  const ready: { target: Target; request: LoadRequest; record: TargetRecord<StreamResult, StreamSummary> }[] = [];
  for (const target of ctx.targets) {
    const record: TargetRecord<StreamResult, StreamSummary> = { target: target.name, runs: [] };
    records.push(record);
    if (!isAvailable(target)) {
      record.unavailable = target.reason;
      continue;
    }
    const request = c.request(target);
    if ('unavailable' in request) {
      record.unavailable = request.unavailable;
      continue;
    }
    const failure = await probeTarget(target, request, completeMarker(c.format));
    if (failure !== undefined) {
      record.unavailable = `probe failed: ${failure}`;
      progress(`${label} ${target.name} not measured: ${record.unavailable}`);
      continue;
    }
    ready.push({ target, request, record });
  }
  if (options.warmupSeconds > 0) {
    for (const { target, request } of ready) {
      progress(`${label} warm-up ${target.name} (${options.warmupSeconds} s)`);
      const warm = await streamRun(ctx, c, request, options.warmupSeconds);
      if (target.name === 'gateway') ctx.gatewayResponses += warm.result.streams;
    }
  }
  for (let run = 1; run <= options.runs; run++) {
    for (const { target, request, record } of ready) {
      const measurement = startMeasurement(ctx.watched);
      const { result, processCpuSeconds } = await streamRun(ctx, c, request, options.durationSeconds);
      const usage = measurement.finish(processCpuSeconds);
      if (target.name === 'gateway') ctx.gatewayResponses += result.streams;
      record.runs.push({ run, result, usage });
      const e = result.errors;
      progress(
        `${label} ${target.name} run ${run}/${options.runs}: ${result.streamsPerSecond.toFixed(1)} streams/s, ` +
          `TTFB p50 ${result.ttfbMs.p50.toFixed(3)} ms, total p50 ${result.totalMs.p50.toFixed(2)} ms, ` +
          `events ${result.eventsPerStream}, errors ${e.failed + e.timeout + e.non2xx + e.incomplete}`,
      );
    }
  }
  withStreamOverheads(records);
  return { id: c.id, title: c.title, connections: c.connections, ...c.extra, targets: records };
}

/** S4: OpenAI Chat streaming, the upstream sending 20 content chunks 10 ms apart. */
export function runStreamScenario(ctx: BenchContext): Promise<StreamScenarioRecord> {
  const directive = streamDirective(STREAM_SCENARIO.chunks, STREAM_SCENARIO.chunkDelayMs);
  return runStreamCase(ctx, {
    id: STREAM_SCENARIO.id,
    title: STREAM_SCENARIO.title,
    connections: ctx.options.streamConnections,
    format: 'openai-chat',
    request: (target) => chatRequest(target, ctx.options.model, directive, true),
  });
}

/** S8 through the stream client: time to first byte (wrk, which gives the throughput, cannot see it). */
export function runResponsesStreams(ctx: BenchContext): Promise<StreamScenarioRecord> {
  return runStreamCase(ctx, {
    id: RESPONSES_SCENARIO.id,
    title: `${RESPONSES_SCENARIO.title}: time to first byte, Node stream client`,
    connections: RESPONSES_SCENARIO.connections,
    format: 'responses',
    request: (target) => responsesRequest(target, ctx.options.model, ''),
  });
}
