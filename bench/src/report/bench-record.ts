import type { MachineInfo } from '../machine/machine-info.js';
import type { WakeCost } from '../machine/wake-cost.js';
import type { LoadResult } from '../load/load-request.js';
import type { RunUsage } from '../measure/process-monitor.js';
import type { BenchOptions, TargetName } from '../options/bench-options.js';

// The JSON record of one benchmark (bench/results/<timestamp>.json): every run as measured, plus the
// medians that the markdown report prints. Times in milliseconds, memory in MB, CPU in seconds.

export interface RunRecord<R> {
  run: number;
  result: R;
  usage: RunUsage;
}

/** Medians over the runs of one target in one scenario (errors are totals over the runs). */
export interface LoadSummary {
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; mean: number; max: number };
  /** Minus the same figure of `direct` in the same scenario; absent for direct itself. */
  overheadMs?: { p50: number; p99: number; p999: number };
  requests: number;
  errors: { connect: number; read: number; write: number; timeout: number; non2xx: number };
  cpuSeconds: Record<string, number>;
  /** Highest peak over the runs. */
  peakRssMb: Record<string, number>;
  loadGeneratorCpuSeconds: number;
  otherCpuSeconds: number;
}

export interface TargetRecord<R, S> {
  target: TargetName;
  /** Why the target has no figures here. */
  unavailable?: string;
  runs: RunRecord<R>[];
  summary?: S;
}

export interface LoadScenarioRecord {
  id: string;
  title: string;
  connections: number;
  upstreamDelayMs: number;
  loadGenerator: LoadResult['tool'];
  targets: TargetRecord<LoadResult, LoadSummary>[];
}

/** What the stream client measured in one run. */
export interface StreamResult {
  connections: number;
  durationSeconds: number;
  streams: number;
  streamsPerSecond: number;
  /** Request start to the first byte of the response body (the first SSE event). */
  ttfbMs: Percentiles;
  /** Request start to the end of the response. */
  totalMs: Percentiles;
  /** Median SSE events per stream. */
  eventsPerStream: number;
  errors: { failed: number; timeout: number; non2xx: number; incomplete: number };
  clientCpuSeconds: number;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  mean: number;
  max: number;
}

export interface StreamSummary {
  streamsPerSecond: number;
  ttfbMs: Percentiles;
  totalMs: Percentiles;
  overheadMs?: { ttfbP50: number; ttfbP99: number; totalP50: number; totalP99: number };
  eventsPerStream: number;
  streams: number;
  errors: StreamResult['errors'];
  cpuSeconds: Record<string, number>;
  peakRssMb: Record<string, number>;
  clientCpuSeconds: number;
  otherCpuSeconds: number;
}

export interface StreamScenarioRecord {
  id: string;
  title: string;
  connections: number;
  /** S7: which gateway route the body took. */
  route?: 'translated' | 'pass-through';
  /** S7: bytes of the request body. */
  bodyBytes?: number;
  targets: TargetRecord<StreamResult, StreamSummary>[];
}

export interface LoggingRecord {
  id: string;
  events: number;
  publish: { seconds: number; eventsPerSecond: number };
  /** From the logging process's spawn until JetStream saw the last event acknowledged. */
  consume: {
    startupSeconds: number;
    /** First acknowledged event to the last. */
    seconds: number;
    eventsPerSecond: number;
    /** Between 10 % and 90 % of the events acknowledged. */
    steadyEventsPerSecond: number;
  };
  verification: { rows: number; distinctRequestIds: number; lost: number; duplicated: number; exact: boolean };
  usage: RunUsage;
  error?: string;
}

export interface MemoryRecord {
  id: string;
  /** The scenario whose load just ended when memory was read. */
  after: string;
  processes: Record<string, { rssMb: number; peakRssMb: number }>;
}

/** The gateway's request-log path over the whole bench (before S5): batched events, the outbox. */
export interface LogBatchingRecord {
  /** Events JetStream acknowledged to ingress (aigw_request_log_published_events_total). */
  eventsPublished: number;
  /** Messages added to the log stream: each is one batch. */
  batchesPublished: number;
  eventsPerBatch: number;
  /** Publishes sent again (aigw_request_log_publish_failures_total). */
  publishFailures: number;
  outboxBytesAtEnd: number;
  pendingEventsAtEnd: number;
}

export interface BenchRecord {
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  git: { commit: string; dirty: boolean };
  machine: MachineInfo;
  options: BenchOptions;
  loadGenerator: { tool: LoadResult['tool']; note?: string };
  /** Versions and setup of the targets, and why any could not run. */
  targets: Record<string, string>;
  loadAverage: { start: [number, number, number]; end: [number, number, number] };
  /** What waking a Node process costs on this machine, measured before the targets start. */
  wakeCost?: WakeCost[];
  warnings: string[];
  load: LoadScenarioRecord[];
  stream?: StreamScenarioRecord;
  /** S7: translated and pass-through, at 1 and at 20 connections. */
  agentTurn?: StreamScenarioRecord[];
  /** S8: the Responses API under S1's load, through wrk (throughput). */
  responses?: LoadScenarioRecord;
  /** S8 again through the stream client (time to first byte, completeness per stream). */
  responsesStreams?: StreamScenarioRecord;
  logging?: LoggingRecord;
  memory?: MemoryRecord;
  /** Request logs the gateway wrote for the load it served (S0–S4), counted before S5. */
  requestLogs?: { gatewayResponses: number; rows: number };
  /** Request logs batched, outbox on: what ingress and JetStream counted during S0–S4, S7, S8. */
  logBatching?: LogBatchingRecord;
  serviceProblemLines: Record<string, number>;
}
