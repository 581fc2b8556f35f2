import type { BenchRecord, StreamScenarioRecord, StreamSummary, TargetRecord, StreamResult } from './bench-record.js';
import { count, fixed, markdownTable, ms, plusMs } from './markdown-table.js';

// S7 in the report: one overview row per case (route × connections), a detail table per case, and the
// gateway's CPU per stream per service, the figure that says where to optimise the body's path.

const SERVICES = ['ingress', 'selector', 'auth', 'provider-call', 'logging'];
const NOT_RUN = 'not run';

const caseName = (c: StreamScenarioRecord) => `S7 ${c.route ?? ''} ×${c.connections}`;
const failures = (s: StreamSummary) => s.errors.failed + s.errors.timeout + s.errors.non2xx + s.errors.incomplete;

/** CPU milliseconds per completed stream of one process (median CPU of a run × runs / streams of all runs). */
export function cpuMsPerStream(t: TargetRecord<StreamResult, StreamSummary>, label: string): number {
  const s = t.summary;
  if (s === undefined || s.streams === 0) return Number.NaN;
  return ((s.cpuSeconds[label] ?? Number.NaN) * 1000 * t.runs.length) / s.streams;
}

function cell(c: StreamScenarioRecord, target: string, show: (s: StreamSummary) => string): string {
  const t = c.targets.find((x) => x.target === target);
  if (!t) return NOT_RUN;
  if (!t.summary) return `n/a: ${(t.unavailable ?? 'no runs').slice(0, 90)}`;
  return show(t.summary);
}

/** Overview rows: TTFB p50 with its overhead, and errors where there were any. */
export function agentTurnOverviewRows(record: BenchRecord, targets: readonly string[]): string[][] {
  return (record.agentTurn ?? []).map((c) => [
    `${caseName(c)} TTFB p50 (overhead), whole stream p50`,
    ...targets.map((t) =>
      cell(c, t, (s) => `${ms(s.ttfbMs.p50)} ms${s.overheadMs ? ` (${plusMs(s.overheadMs.ttfbP50)})` : ''}, ${ms(s.totalMs.p50)} ms${failures(s) > 0 ? `, errors ${count(failures(s))}` : ''}`),
    ),
  ]);
}

function caseDetail(c: StreamScenarioRecord, own: Record<string, string[]>): string {
  const header = ['target', 'streams/s', 'TTFB p50', 'TTFB p99', 'total p50', 'total p99', 'TTFB overhead p50 / p99', 'total overhead p50 / p99',
    'events/stream', 'failed / timeouts / non-2xx / incomplete', 'CPU ms/stream target', 'CPU ms/stream emulator', 'peak RSS MB target'];
  const rows = c.targets.map((t) => {
    const s = t.summary;
    if (!s) return [t.target, `n/a: ${t.unavailable ?? 'no runs'}`, ...header.slice(2).map(() => '')];
    const labels = own[t.target] ?? [];
    const e = s.errors;
    const targetCpu = labels.reduce((total, l) => total + (Number.isFinite(cpuMsPerStream(t, l)) ? cpuMsPerStream(t, l) : 0), 0);
    return [
      t.target, fixed(s.streamsPerSecond, 1), ms(s.ttfbMs.p50), ms(s.ttfbMs.p99), ms(s.totalMs.p50), ms(s.totalMs.p99),
      s.overheadMs ? `${plusMs(s.overheadMs.ttfbP50)} / ${plusMs(s.overheadMs.ttfbP99)}` : '—',
      s.overheadMs ? `${plusMs(s.overheadMs.totalP50)} / ${plusMs(s.overheadMs.totalP99)}` : '—',
      fixed(s.eventsPerStream, 0), `${count(e.failed)} / ${count(e.timeout)} / ${count(e.non2xx)} / ${count(e.incomplete)}`,
      labels.length > 0 ? fixed(targetCpu, 2) : '—', fixed(cpuMsPerStream(t, 'emulator'), 2),
      labels.length > 0 ? fixed(Math.max(...labels.map((l) => s.peakRssMb[l] ?? 0)), 0) : '—',
    ];
  });
  return `#### ${c.title}\n\n${markdownTable(header, rows)}`;
}

/** The gateway's CPU per completed stream, per service and case. */
function gatewayCpu(cases: readonly StreamScenarioRecord[]): string {
  const rows = cases.flatMap((c) => {
    const t = c.targets.find((x) => x.target === 'gateway');
    if (!t?.summary) return [];
    const per = SERVICES.map((n) => cpuMsPerStream(t, n));
    return [[caseName(c), count(t.summary.streams), ...per.map((v) => fixed(v, 2)), fixed(per.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0), 2)]];
  });
  if (rows.length === 0) return '';
  return markdownTable(['case', 'streams', ...SERVICES.map((n) => `${n} CPU ms/stream`), 'all five'], rows);
}

/** The whole S7 section. */
export function agentTurnDetail(record: BenchRecord, own: Record<string, string[]>): string {
  const cases = record.agentTurn ?? [];
  if (cases.length === 0) return '';
  const bytes = cases[0]?.bodyBytes;
  return [
    '### S7 agent turn',
    '',
    `The body (bench/src/scenarios/agent-turn-body.ts): ${count(bytes)} bytes of Anthropic Messages shaped like a Claude Code turn ` +
      '(system blocks with cache_control, 20 tool definitions, 40 prior turns of tool_use and tool_result, metadata.user_id), streamed back ' +
      'as text in 20 chunks 10 ms apart. `direct` is the emulator answering the same body on its /v1/messages; translated = the gateway ' +
      'turns it into a Gemini request in Cloud Code\'s envelope (provider antigravity) and the answer back into Anthropic events; ' +
      'pass-through = provider anthropic. CPU ms/stream = CPU seconds of the process during the run / streams completed. ' +
      "The emulator waits chunk_delay_ms before every event of a stream, and its Cloud Code stream has fewer events than its Anthropic " +
      "stream (no message_start, content_block_start/stop, ping of their own): on the translated route the whole stream is therefore " +
      'shorter than direct\'s and its whole-stream overhead is no overhead; its time to first byte compares.',
    '',
    ...cases.flatMap((c) => [caseDetail(c, own), '']),
    '#### Gateway CPU per stream, per service',
    '',
    gatewayCpu(cases),
  ].join('\n');
}
