import type { WakeCost } from '../machine/wake-cost.js';
import type { BenchRecord, LoadScenarioRecord, LoadSummary, StreamScenarioRecord, StreamSummary } from './bench-record.js';
import { median } from '../measure/stats.js';
import { agentTurnDetail, agentTurnOverviewRows } from './agent-turn-report.js';
import { issueTargets } from './issue-targets.js';
import { count, fixed, markdownTable, ms, plusMs } from './markdown-table.js';

// bench/results/<timestamp>.md: the overview in the issue's own shape, the issue's targets with verdicts,
// then every scenario in detail (per-process CPU and memory included).

const SERVICES = ['ingress', 'selector', 'auth', 'provider-call', 'logging'];
const INFRA = ['redis', 'mariadb', 'mysql', 'nats'];
/** The processes that are the target itself (the emulator behind every target is shown apart). */
const OWN: Record<string, string[]> = { direct: [], 'proxy-hop': ['proxy-hop'], portkey: ['portkey'], gateway: SERVICES };

const sumOf = (values: Record<string, number>, labels: readonly string[]) =>
  labels.reduce((total, label) => total + (Number.isFinite(values[label]) ? (values[label] as number) : 0), 0);

const NOT_MEASURED = 'n/a (see below)';

function cell(record: BenchRecord, id: string, target: string, show: (s: LoadSummary) => string): string {
  const scenario = id === 'S8' ? record.responses : record.load.find((s) => s.id === id);
  const t = scenario?.targets.find((x) => x.target === target);
  if (!t) return 'not run';
  if (t.summary && t.summary.requests === 0) return 'no response completed within the runs';
  return t.summary ? show(t.summary) : NOT_MEASURED;
}

function streamCell(record: BenchRecord, target: string, show: (s: StreamSummary) => string): string {
  const t = record.stream?.targets.find((x) => x.target === target);
  if (!t) return 'not run';
  return t.summary ? show(t.summary) : NOT_MEASURED;
}

/** Why each missing cell of the overview is missing. */
function unavailableList(record: BenchRecord): string[] {
  const scenarios = [
    ...record.load,
    ...(record.stream ? [record.stream] : []),
    ...(record.agentTurn ?? []).map((c) => ({ ...c, id: `${c.id} ${c.route ?? ''} ×${c.connections}` })),
    ...(record.responses ? [record.responses] : []),
    ...(record.responsesStreams ? [{ ...record.responsesStreams, id: 'S8 (stream client)' }] : []),
  ];
  return scenarios.flatMap((s) =>
    s.targets.filter((t) => t.summary === undefined).map((t) => `- ${s.id} ${t.target} not measured: ${t.unavailable ?? 'no runs'}`),
  );
}

function overview(record: BenchRecord): string {
  const targets = record.options.targets;
  const errs = (s: LoadSummary) => s.errors.connect + s.errors.read + s.errors.write + s.errors.non2xx;
  const faults = (s: LoadSummary) => (errs(s) + s.errors.timeout > 0 ? `, errors ${count(errs(s))}, timeouts ${count(s.errors.timeout)}` : '');
  const throughputAndP99 = (s: LoadSummary) => `${count(s.requestsPerSecond)} req/s, p99 ${ms(s.latencyMs.p99)} ms${faults(s)}`;
  const rows: string[][] = [
    ['S0 p50 latency (1 conn, 0 ms)', ...targets.map((t) => cell(record, 'S0', t, (s) => `${ms(s.latencyMs.p50)} ms`))],
    ['S0 overhead p50 / p99', ...targets.map((t) => cell(record, 'S0', t, (s) => (s.overheadMs ? `${plusMs(s.overheadMs.p50)} / ${plusMs(s.overheadMs.p99)} ms` : '—')))],
    ['S1 throughput (50 conn, 0 ms)', ...targets.map((t) => cell(record, 'S1', t, (s) => `${count(s.requestsPerSecond)} req/s${faults(s)}`))],
    ['S2 throughput, p99 (200 conn, 200 ms)', ...targets.map((t) => cell(record, 'S2', t, throughputAndP99))],
    ['S3 throughput, p99 (1000 conn, 200 ms)', ...targets.map((t) => cell(record, 'S3', t, throughputAndP99))],
    ['S4 TTFB p50 (overhead)', ...targets.map((t) => streamCell(record, t, (s) => `${ms(s.ttfbMs.p50)} ms${s.overheadMs ? ` (${plusMs(s.overheadMs.ttfbP50)})` : ''}`))],
    ['S4 whole stream p50 (overhead)', ...targets.map((t) => streamCell(record, t, (s) => `${ms(s.totalMs.p50)} ms${s.overheadMs ? ` (${plusMs(s.overheadMs.totalP50)})` : ''}`))],
    ...agentTurnOverviewRows(record, targets),
    ['S8 Responses streamed (50 conn, 0 ms): wrk streams/s', ...targets.map((t) => cell(record, 'S8', t, (s) => `${count(s.requestsPerSecond)} streams/s${faults(s)}`))],
    ['S8 TTFB p50 (overhead), stream client', ...targets.map((t) => responsesTtfb(record, t))],
  ];
  if (record.logging) {
    const l = record.logging;
    const text = l.error ? `failed: ${l.error}` : `${count(l.consume.eventsPerSecond)} events/s over ${count(l.events)} (exact: ${l.verification.exact ? 'yes' : 'NO'})`;
    rows.push(['S5 logging into MySQL', ...targets.map((t) => (t === 'gateway' ? text : '—'))]);
  }
  if (record.memory) {
    const m = record.memory.processes;
    const mem = (labels: string[]) => (labels.length === 0 ? '—' : labels.map((l) => `${l} ${fixed(m[l]?.rssMb, 0)} MB`).join(', '));
    rows.push([`S6 RSS after ${record.memory.after}`, ...targets.map((t) => mem(t === 'direct' ? ['emulator'] : (OWN[t] ?? [])))]);
  }
  return markdownTable(['scenario', ...targets], rows);
}

function verdicts(record: BenchRecord): string {
  const rows = issueTargets(record).map((c) => [c.scenario, c.goal, c.measured, c.met === undefined ? 'not measured' : c.met ? 'met' : 'MISSED', c.margin]);
  return markdownTable(['scenario', 'target (issue 17)', 'measured', 'verdict', 'margin'], rows);
}

function loadDetail(scenario: LoadScenarioRecord): string {
  const header = ['target', 'req/s', 'p50', 'p90', 'p99', 'p99.9', 'max', 'overhead p50 / p99', 'errors', 'non-2xx', 'timeouts',
    'CPU s target', 'CPU ms/req target', 'CPU s emulator', 'CPU s infra', 'CPU s load gen', 'CPU s other', 'load 1m', 'peak RSS MB target'];
  const rows = scenario.targets.map((t) => {
    const s = t.summary;
    if (!s) return [t.target, `n/a: ${t.unavailable ?? 'no runs'}`, ...header.slice(2).map(() => '')];
    const own = OWN[t.target] ?? [];
    const cpuTarget = sumOf(s.cpuSeconds, own);
    const perRequest = own.length > 0 && s.requests > 0 ? (cpuTarget * 1000 * t.runs.length) / s.requests : Number.NaN;
    const e = s.errors;
    return [
      t.target, count(s.requestsPerSecond), ms(s.latencyMs.p50), ms(s.latencyMs.p90), ms(s.latencyMs.p99), ms(s.latencyMs.p999), ms(s.latencyMs.max),
      s.overheadMs ? `${plusMs(s.overheadMs.p50)} / ${plusMs(s.overheadMs.p99)}` : '—',
      count(e.connect + e.read + e.write), count(e.non2xx), count(e.timeout),
      own.length > 0 ? fixed(cpuTarget, 2) : '—', fixed(perRequest, 3), fixed(s.cpuSeconds['emulator'], 2), fixed(sumOf(s.cpuSeconds, INFRA), 2),
      fixed(s.loadGeneratorCpuSeconds, 2), fixed(s.otherCpuSeconds, 2), fixed(median(t.runs.map((r) => r.usage.loadAverageStart[0])), 1),
      own.length > 0 ? fixed(Math.max(...own.map((l) => s.peakRssMb[l] ?? 0)), 0) : '—',
    ];
  });
  return markdownTable(header, rows);
}

function gatewayProcesses(record: BenchRecord): string {
  const summaries: [string, LoadSummary | StreamSummary | undefined][] = [
    ...record.load.map((s) => [s.id, s.targets.find((t) => t.target === 'gateway')?.summary] as [string, LoadSummary | undefined]),
    ['S4', record.stream?.targets.find((t) => t.target === 'gateway')?.summary],
    ...(record.agentTurn ?? []).map((c) => [`S7 ${c.route ?? ''} ×${c.connections}`, c.targets.find((t) => t.target === 'gateway')?.summary] as [string, StreamSummary | undefined]),
    ['S8', record.responses?.targets.find((t) => t.target === 'gateway')?.summary],
  ];
  const measured = summaries.filter((entry): entry is [string, LoadSummary | StreamSummary] => entry[1] !== undefined);
  if (measured.length === 0) return '';
  const infra = INFRA.filter((n) => measured.some(([, g]) => n in g.cpuSeconds));
  const rows = measured.map(([id, g]) => [
    id,
    ...SERVICES.map((n) => `${fixed(g.cpuSeconds[n], 2)} s / ${fixed(g.peakRssMb[n], 0)} MB`),
    ...infra.map((n) => fixed(g.cpuSeconds[n], 2)),
  ]);
  return markdownTable(['scenario', ...SERVICES.map((n) => `${n} CPU / peak RSS`), ...infra.map((n) => `${n} CPU s`)], rows);
}

function streamDetail(record: BenchRecord): string {
  return record.stream ? streamTable(record.stream) : '';
}

function streamTable(st: StreamScenarioRecord): string {
  const header = ['target', 'streams/s', 'TTFB p50', 'TTFB p99', 'total p50', 'total p99', 'TTFB overhead p50 / p99', 'total overhead p50 / p99', 'events/stream', 'errors',
    'CPU s target', 'CPU s other', 'load 1m', 'peak RSS MB target'];
  const rows = st.targets.map((t) => {
    const s = t.summary;
    if (!s) return [t.target, `n/a: ${t.unavailable ?? 'no runs'}`, ...header.slice(2).map(() => '')];
    const own = OWN[t.target] ?? [];
    const e = s.errors;
    return [
      t.target, fixed(s.streamsPerSecond, 1), ms(s.ttfbMs.p50), ms(s.ttfbMs.p99), ms(s.totalMs.p50), ms(s.totalMs.p99),
      s.overheadMs ? `${plusMs(s.overheadMs.ttfbP50)} / ${plusMs(s.overheadMs.ttfbP99)}` : '—',
      s.overheadMs ? `${plusMs(s.overheadMs.totalP50)} / ${plusMs(s.overheadMs.totalP99)}` : '—',
      fixed(s.eventsPerStream, 0), count(e.failed + e.timeout + e.non2xx + e.incomplete),
      own.length > 0 ? fixed(sumOf(s.cpuSeconds, own), 2) : '—', fixed(s.otherCpuSeconds, 2), fixed(median(t.runs.map((r) => r.usage.loadAverageStart[0])), 1),
      own.length > 0 ? fixed(Math.max(...own.map((l) => s.peakRssMb[l] ?? 0)), 0) : '—',
    ];
  });
  return `### ${st.id} ${st.title}, ${st.connections} concurrent streams\n\n${markdownTable(header, rows)}`;
}

function loggingDetail(record: BenchRecord): string {
  const l = record.logging;
  if (!l) return '';
  if (l.error) return `### S5 logging\n\nFailed: ${l.error}`;
  const p = l.usage.processes;
  const v = l.verification;
  const rows = [
    [
      'events published',
      `${count(l.events)} in ${fixed(l.publish.seconds, 1)} s (${count(l.publish.eventsPerSecond)}/s: the services' LogPublisher, 2 connections × 1024 in flight)`,
    ],
    ['logging service start-up until the first event was acknowledged', `${fixed(l.consume.startupSeconds, 1)} s`],
    ['first to last acknowledged event', `${fixed(l.consume.seconds, 1)} s`],
    ['events/s (whole backlog)', count(l.consume.eventsPerSecond)],
    ['events/s (10 % → 90 %)', count(l.consume.steadyEventsPerSecond)],
    [
      'rows / distinct request ids',
      `${count(v.rows)} / ${count(v.distinctRequestIds)} (lost ${count(v.lost)}, duplicated ${count(v.duplicated)})`,
    ],
    [
      'CPU s: logging / mariadb / nats',
      `${fixed(p['logging']?.cpuSeconds, 1)} / ${fixed(p['mariadb']?.cpuSeconds ?? p['mysql']?.cpuSeconds, 1)} / ${fixed(p['nats']?.cpuSeconds, 1)}`,
    ],
    ['logging peak RSS', `${fixed(p['logging']?.peakRssMb, 0)} MB`],
    ['load average start → end', `${l.usage.loadAverageStart.join(' ')} → ${l.usage.loadAverageEnd.join(' ')}`],
  ];
  return `### S5 logging: JetStream → MySQL, one logging instance\n\n${markdownTable(['', 'value'], rows)}`;
}

function memoryDetail(record: BenchRecord): string {
  const m = record.memory;
  if (!m) return '';
  const rows = Object.entries(m.processes).map(([label, v]) => [label, fixed(v.rssMb, 1), fixed(v.peakRssMb, 1)]);
  return `### S6 memory after ${m.after}\n\n${markdownTable(['process', 'RSS MB (VmRSS)', 'peak RSS MB (VmHWM, any run so far)'], rows)}`;
}

/** S8's time to first byte from the stream client's run. */
function responsesTtfb(record: BenchRecord, target: string): string {
  const t = record.responsesStreams?.targets.find((x) => x.target === target);
  if (!t) return 'not run';
  const s = t.summary;
  if (!s) return NOT_MEASURED;
  const e = s.errors.failed + s.errors.timeout + s.errors.non2xx + s.errors.incomplete;
  return `${ms(s.ttfbMs.p50)} ms${s.overheadMs ? ` (${plusMs(s.overheadMs.ttfbP50)})` : ''}, ${count(s.streamsPerSecond)} streams/s${e > 0 ? `, errors ${count(e)}` : ''}`;
}

/** How S8 was measured. */
function responsesNote(record: BenchRecord): string {
  return (
    `${record.responses?.loadGenerator ?? 'wrk'} counts a response when its chunked SSE body ends ("req/s" = streams/s, latency = the whole stream); ` +
    "each target was probed first, and its stream had to end with `event: response.completed`. `direct` = the emulator's own /v1/responses; " +
    "the gateway's openai provider speaks Chat Completions upstream (providers.wire unset), so it translates Responses → Chat → Responses. The stream client's run below gives the time to first byte at the same load, " +
    'and its own streams/s shows what a Node client can drive.'
  );
}

/** Request logs were batched and the outbox on: the counters that show it. */
function logBatchingSentence(record: BenchRecord): string {
  const b = record.logBatching;
  if (!b) return '';
  return (
    `Request-log path (ingress defaults: batched events, outbox on, tools/dev giving each ingress its own LOG_OUTBOX_DIR), over S0–S4, S7 and S8: ` +
    `${count(b.eventsPublished)} events acknowledged by JetStream (aigw_request_log_published_events_total) in ${count(b.batchesPublished)} stream messages = ` +
    `${fixed(b.eventsPerBatch, 1)} events per batch; ${count(b.publishFailures)} publishes sent again; at the end ${count(b.pendingEventsAtEnd)} events pending, ` +
    `outbox ${count(b.outboxBytesAtEnd)} bytes (aigw_request_log_outbox_bytes).`
  );
}

/** The machine's wake-up cost in one sentence. */
function wakeCostSentence(costs: readonly WakeCost[]): string {
  const parts = costs.map(
    (c) =>
      `${c.gapMs === 0 ? 'back to back' : `after ${c.gapMs} ms idle`} ${Math.round(c.echoCpuUsPerMessage)} µs of CPU and ` +
      `${Math.round(c.roundTripP50Us)} µs round trip (p50)`,
  );
  return `Wake-up cost of this machine (a 256-byte message to a Node echo process and back, ${costs[0]?.messages ?? 0} each): ${parts.join('; ')}.`;
}

/** The whole markdown report. */
export function markdownReport(record: BenchRecord): string {
  const o = record.options;
  const m = record.machine;
  const lines = [
    `# AIGateway benchmark, ${record.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Commit \`${record.git.commit.slice(0, 12)}\`${record.git.dirty ? ' (with uncommitted changes)' : ''} · ` +
      `${m.cpus} × ${m.cpuModel} · ${m.memoryGb} GB · Linux ${m.kernel} · Node ${m.node}`,
    `Load generator: ${record.loadGenerator.tool}${record.loadGenerator.note ? ` (${record.loadGenerator.note})` : ''} · ` +
      `${o.runs} run(s) × ${o.durationSeconds} s per target and scenario, medians; warm-up ${o.warmupSeconds} s; timeout ${o.timeoutSeconds} s` +
      (o.quick ? ' · **quick mode**' : ''),
    `Wall time ${fixed(record.wallSeconds / 60, 1)} min · load average at start ${record.loadAverage.start.join(' ')}, at end ${record.loadAverage.end.join(' ')}`,
    ...(record.wakeCost ? ['', wakeCostSentence(record.wakeCost)] : []),
    '',
    ...Object.entries(record.targets).map(([name, note]) => `- **${name}**: ${note}`),
    '',
    overview(record),
    '',
    ...unavailableList(record),
    '',
    '## Targets of the benchmark issue',
    '',
    verdicts(record),
    '',
    '## Details',
    '',
    'Latencies in ms. Overhead = the target minus direct, same scenario, same percentile. Errors = connect/read/write failures; errors, non-2xx and timeouts are totals over the runs. ' +
      'CPU s = CPU seconds (user+system) during one run (median); "target" = the target\'s own processes (gateway: its five services), "infra" = Redis + MariaDB + NATS ' +
      '(shared servers: what other users do with them meanwhile counts too), "other" = every other process on the machine ' +
      '(other people\'s work: noise); "load 1m" = 1-minute load average when the runs began.',
    '',
    ...record.load.flatMap((s) => [`### ${s.id} ${s.title}`, '', loadDetail(s), '']),
    streamDetail(record),
    '',
    agentTurnDetail(record, OWN),
    '',
    ...(record.responses ? [`### ${record.responses.id} ${record.responses.title}`, '', responsesNote(record), '', loadDetail(record.responses), ''] : []),
    ...(record.responsesStreams ? [streamTable(record.responsesStreams), ''] : []),
    '### Gateway processes (CPU seconds per run, peak RSS)',
    '',
    gatewayProcesses(record),
    '',
    loggingDetail(record),
    '',
    memoryDetail(record),
    '',
  ];
  if (record.requestLogs) {
    lines.push(
      `Request logs the gateway wrote during S0–S4, S7 and S8 (before S5): ${count(record.requestLogs.rows)} rows; the load generators saw ${count(record.requestLogs.gatewayResponses)} ` +
        'successful responses complete within their runs (requests still in flight when a run ended were served and logged too, so rows ≥ responses).',
      '',
    );
  }
  if (record.logBatching) lines.push(logBatchingSentence(record), '');
  const problems = Object.entries(record.serviceProblemLines);
  if (problems.length > 0) lines.push(`Service warn/error log lines: ${problems.map(([s, n]) => `${s} ${n}`).join(', ')}.`, '');
  if (record.warnings.length > 0) lines.push('## Warnings', '', ...record.warnings.map((w) => `- ${w}`), '');
  return lines.join('\n');
}
