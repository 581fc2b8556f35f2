import type { BenchRecord, LoadSummary, StreamScenarioRecord, StreamSummary } from './bench-record.js';
import { count, fixed, ms } from './markdown-table.js';

// The "done when" list of issue 17 (targets as ratios to the peer, Portkey, measured in the same run),
// checked against one record: met or missed with the margin (by how much it was met or missed), or not
// measured in this run.

export interface TargetCheck {
  scenario: string;
  goal: string;
  measured: string;
  /** How far the figure is from the goal: "by …" when met, "missed by …" when not; '' when not measured. */
  margin: string;
  /** undefined: not measured (scenario skipped, or a peer missing). */
  met: boolean | undefined;
}

const GATEWAY_SERVICES = ['ingress', 'selector', 'auth', 'provider-call', 'logging'];

function load(record: BenchRecord, id: string, target: string): LoadSummary | undefined {
  const scenario = id === 'S8' ? record.responses : record.load.find((s) => s.id === id);
  return scenario?.targets.find((t) => t.target === target)?.summary;
}

function failures(s: LoadSummary): number {
  const e = s.errors;
  return e.connect + e.read + e.write + e.timeout + e.non2xx;
}

function streamFailures(s: StreamSummary): number {
  const e = s.errors;
  return e.failed + e.timeout + e.non2xx + e.incomplete;
}

/** A verdict for "value ≤ limit" (or ≥ with `atLeast`) and its margin in the figure's own unit. */
function verdict(value: number, limit: number, atLeast: boolean, show: (v: number) => string): Pick<TargetCheck, 'met' | 'margin'> {
  if (!Number.isFinite(value)) return { met: false, margin: 'no figure' };
  const met = atLeast ? value >= limit : value <= limit;
  const gap = Math.abs(value - limit);
  return { met, margin: met ? `by ${show(gap)}` : `missed by ${show(gap)}` };
}

const missing = (scenario: string, goal: string, why = 'not measured'): TargetCheck => ({ scenario, goal, measured: why, margin: '', met: undefined });

function ratioCheck(record: BenchRecord, id: string, factor: number): TargetCheck {
  const goal = `throughput ≥ ${factor}× Portkey's`;
  const gateway = load(record, id, 'gateway');
  const portkey = load(record, id, 'portkey');
  if (!gateway || !portkey) return missing(id, goal, 'not measured (gateway or Portkey missing)');
  const ratio = gateway.requestsPerSecond / portkey.requestsPerSecond;
  const needed = factor * portkey.requestsPerSecond;
  const v = verdict(ratio, factor, true, (g) => `${fixed(g, 2)}×`);
  return {
    scenario: id,
    goal,
    measured: `${count(gateway.requestsPerSecond)} vs ${count(portkey.requestsPerSecond)} req/s = ${fixed(ratio, 2)}×`,
    ...v,
    margin: `${v.margin} (${count(Math.abs(gateway.requestsPerSecond - needed))} req/s ${v.met ? 'above' : 'short of'} ${count(needed)})`,
  };
}

function zeroCheck(scenario: string, goal: string, failed: number, detail = ''): TargetCheck {
  return { scenario, goal, measured: `${count(failed)}${detail}`, margin: failed === 0 ? '' : `missed by ${count(failed)}`, met: failed === 0 };
}

/** S7's record for a route and connection count. */
function agentCase(record: BenchRecord, route: StreamScenarioRecord['route'], connections: number): StreamScenarioRecord | undefined {
  return record.agentTurn?.find((c) => c.route === route && c.connections === connections);
}

const summaryOf = (c: StreamScenarioRecord | undefined, target: string) => c?.targets.find((t) => t.target === target);

function s7Checks(record: BenchRecord): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const [route, limit] of [['translated', 5], ['pass-through', 3]] as const) {
    const goal = `1 connection, ${route}: time-to-first-byte overhead ≤ ${limit} ms at p50`;
    const g = summaryOf(agentCase(record, route, 1), 'gateway')?.summary;
    checks.push(
      g?.overheadMs
        ? { scenario: 'S7', goal, measured: `${ms(g.overheadMs.ttfbP50)} ms`, ...verdict(g.overheadMs.ttfbP50, limit, false, (v) => `${ms(v)} ms`) }
        : missing('S7', goal),
    );
  }
  const pass = agentCase(record, 'pass-through', 1);
  const goal = "1 connection, pass-through: time-to-first-byte overhead below Portkey's";
  const gateway = summaryOf(pass, 'gateway')?.summary;
  const portkey = summaryOf(pass, 'portkey');
  if (gateway?.overheadMs && portkey?.summary?.overheadMs) {
    const mine = gateway.overheadMs.ttfbP50;
    const theirs = portkey.summary.overheadMs.ttfbP50;
    const v = verdict(mine, theirs, false, (x) => `${ms(x)} ms`);
    checks.push({ scenario: 'S7', goal, measured: `${ms(mine)} vs Portkey ${ms(theirs)} ms`, ...v, met: mine < theirs });
  } else {
    checks.push(missing('S7', goal, portkey?.unavailable ? `not measured: Portkey ${portkey.unavailable.slice(0, 160)}` : 'not measured'));
  }
  for (const route of ['translated', 'pass-through'] as const) {
    const g = summaryOf(agentCase(record, route, 20), 'gateway')?.summary;
    const zgoal = `20 connections, ${route}: zero errors`;
    checks.push(g ? zeroCheck('S7', zgoal, streamFailures(g), ` (of ${count(g.streams + streamFailures(g))} streams)`) : missing('S7', zgoal));
  }
  return checks;
}

/** Every target of issue 17 with its verdict. */
export function issueTargets(record: BenchRecord): TargetCheck[] {
  const checks: TargetCheck[] = [];

  checks.push(ratioCheck(record, 'S1', 3));

  checks.push(ratioCheck(record, 'S3', 4));
  const s3 = load(record, 'S3', 'gateway');
  checks.push(s3 ? zeroCheck('S3', 'zero errors and zero timeouts', failures(s3), ` (timeouts ${count(s3.errors.timeout)})`) : missing('S3', 'zero errors and zero timeouts'));

  const s2 = load(record, 'S2', 'gateway');
  const s2direct = load(record, 'S2', 'direct');
  if (s2 && s2direct) {
    const share = (s2.requestsPerSecond / s2direct.requestsPerSecond) * 100;
    checks.push({ scenario: 'S2', goal: 'throughput ≥ 90 % of direct', measured: `${fixed(share, 1)} %`, ...verdict(share, 90, true, (v) => `${fixed(v, 1)} points`) });
    checks.push({ scenario: 'S2', goal: 'p99 ≤ 300 ms', measured: `${ms(s2.latencyMs.p99)} ms`, ...verdict(s2.latencyMs.p99, 300, false, (v) => `${ms(v)} ms`) });
    checks.push(zeroCheck('S2', 'zero errors', failures(s2)));
  } else {
    checks.push(missing('S2', 'throughput ≥ 90 % of direct, p99 ≤ 300 ms, zero errors'));
  }

  const s0 = load(record, 'S0', 'gateway');
  const s0portkey = load(record, 'S0', 'portkey');
  const s0goal = "overhead over direct at p50 ≤ 1.2× Portkey's";
  if (s0?.overheadMs && s0portkey?.overheadMs) {
    const limit = 1.2 * s0portkey.overheadMs.p50;
    checks.push({
      scenario: 'S0',
      goal: s0goal,
      measured: `${ms(s0.overheadMs.p50)} ms vs Portkey ${ms(s0portkey.overheadMs.p50)} ms (limit ${ms(limit)} ms)`,
      ...verdict(s0.overheadMs.p50, limit, false, (v) => `${ms(v)} ms`),
    });
  } else {
    checks.push(missing('S0', s0goal, 'not measured (gateway, Portkey or direct missing)'));
  }

  const s4 = record.stream?.targets.find((t) => t.target === 'gateway')?.summary;
  const s4goal = 'time-to-first-byte overhead ≤ 3 ms at p50';
  checks.push(
    s4?.overheadMs ? { scenario: 'S4', goal: s4goal, measured: `${ms(s4.overheadMs.ttfbP50)} ms`, ...verdict(s4.overheadMs.ttfbP50, 3, false, (v) => `${ms(v)} ms`) } : missing('S4', s4goal),
  );

  checks.push(...s7Checks(record));

  const s5 = record.logging;
  if (s5 && s5.error === undefined) {
    checks.push({
      scenario: 'S5',
      goal: '≥ 20,000 events/s per logging instance (batched events)',
      measured: `${count(s5.consume.eventsPerSecond)} events/s`,
      ...verdict(s5.consume.eventsPerSecond, 20_000, true, (v) => `${count(v)} events/s`),
    });
    const off = Math.abs(s5.verification.lost) + Math.abs(s5.verification.duplicated);
    checks.push({
      scenario: 'S5',
      goal: 'exactly one row per event',
      measured: `${count(s5.verification.rows)} rows, ${count(s5.verification.distinctRequestIds)} distinct of ${count(s5.events)}`,
      margin: s5.verification.exact ? '' : `missed by ${count(off)} rows (lost ${count(s5.verification.lost)}, duplicated ${count(s5.verification.duplicated)})`,
      met: s5.verification.exact,
    });
  } else {
    checks.push(missing('S5', '≥ 20,000 events/s, exactly one row per event'));
  }

  const s6 = record.memory;
  if (s6) {
    const peaks = GATEWAY_SERVICES.map((name) => [name, s6.processes[name]?.peakRssMb ?? Number.NaN] as const);
    const [worst, worstMb] = peaks.reduce((a, b) => (b[1] > a[1] ? b : a));
    checks.push({
      scenario: 'S6',
      goal: 'no service above 200 MB RSS (peak of any run, S7 included)',
      measured: `highest: ${worst} ${fixed(worstMb, 0)} MB (peak)`,
      ...verdict(worstMb, 200, false, (v) => `${fixed(v, 0)} MB`),
    });
  } else {
    checks.push(missing('S6', 'no service above 200 MB RSS'));
  }
  return checks;
}
