import type { BenchRecord, LoadSummary } from './bench-record.js';
import { count, fixed, ms } from './markdown-table.js';

// The "done when" list of the benchmark issue, checked against one record: met, missed (and by how much),
// or not measured in this run.

export interface TargetCheck {
  scenario: string;
  goal: string;
  measured: string;
  /** undefined: not measured (scenario skipped, or a peer missing). */
  met: boolean | undefined;
}

const GATEWAY_SERVICES = ['ingress', 'selector', 'auth', 'provider-call', 'logging'];

function load(record: BenchRecord, id: string, target: string): LoadSummary | undefined {
  return record.load.find((s) => s.id === id)?.targets.find((t) => t.target === target)?.summary;
}

function failures(s: LoadSummary): number {
  const e = s.errors;
  return e.connect + e.read + e.write + e.timeout + e.non2xx;
}

function ratioCheck(record: BenchRecord, id: string, factor: number): TargetCheck {
  const goal = `throughput ≥ ${factor}× Portkey's`;
  const gateway = load(record, id, 'gateway');
  const portkey = load(record, id, 'portkey');
  if (!gateway || !portkey) return { scenario: id, goal, measured: 'not measured (gateway or Portkey missing)', met: undefined };
  const ratio = gateway.requestsPerSecond / portkey.requestsPerSecond;
  return {
    scenario: id,
    goal,
    measured: `${count(gateway.requestsPerSecond)} vs ${count(portkey.requestsPerSecond)} req/s = ${fixed(ratio, 2)}×`,
    met: ratio >= factor,
  };
}

/** Every target of the issue with its verdict. */
export function issueTargets(record: BenchRecord): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const missing = (scenario: string, goal: string): TargetCheck => ({ scenario, goal, measured: 'not measured', met: undefined });

  const s0 = load(record, 'S0', 'gateway');
  if (s0?.overheadMs) {
    checks.push({ scenario: 'S0', goal: 'overhead over direct ≤ 1.0 ms at p50', measured: `${ms(s0.overheadMs.p50)} ms`, met: s0.overheadMs.p50 <= 1.0 });
    checks.push({ scenario: 'S0', goal: 'overhead over direct ≤ 5 ms at p99', measured: `${ms(s0.overheadMs.p99)} ms`, met: s0.overheadMs.p99 <= 5 });
  } else {
    checks.push(missing('S0', 'overhead over direct ≤ 1.0 ms at p50, ≤ 5 ms at p99'));
  }

  checks.push(ratioCheck(record, 'S1', 3));

  const s2 = load(record, 'S2', 'gateway');
  const s2direct = load(record, 'S2', 'direct');
  if (s2 && s2direct) {
    const share = s2.requestsPerSecond / s2direct.requestsPerSecond;
    checks.push({ scenario: 'S2', goal: 'throughput ≥ 90 % of direct', measured: `${fixed(share * 100, 1)} %`, met: share >= 0.9 });
    checks.push({ scenario: 'S2', goal: 'p99 ≤ 300 ms', measured: `${ms(s2.latencyMs.p99)} ms`, met: s2.latencyMs.p99 <= 300 });
    checks.push({ scenario: 'S2', goal: 'zero errors', measured: `${count(failures(s2))}`, met: failures(s2) === 0 });
  } else {
    checks.push(missing('S2', 'throughput ≥ 90 % of direct, p99 ≤ 300 ms, zero errors'));
  }

  checks.push(ratioCheck(record, 'S3', 4));
  const s3 = load(record, 'S3', 'gateway');
  if (s3) {
    checks.push({ scenario: 'S3', goal: 'zero errors and zero timeouts', measured: `${count(failures(s3))} (timeouts ${count(s3.errors.timeout)})`, met: failures(s3) === 0 });
  }

  const s4 = record.stream?.targets.find((t) => t.target === 'gateway')?.summary;
  checks.push(
    s4?.overheadMs
      ? { scenario: 'S4', goal: 'time-to-first-byte overhead ≤ 2 ms at p50', measured: `${ms(s4.overheadMs.ttfbP50)} ms`, met: s4.overheadMs.ttfbP50 <= 2 }
      : missing('S4', 'time-to-first-byte overhead ≤ 2 ms at p50'),
  );

  const s5 = record.logging;
  if (s5 && s5.error === undefined) {
    checks.push({ scenario: 'S5', goal: '≥ 20,000 events/s per logging instance', measured: `${count(s5.consume.eventsPerSecond)} events/s`, met: s5.consume.eventsPerSecond >= 20_000 });
    checks.push({
      scenario: 'S5',
      goal: 'exactly one row per event',
      measured: `${count(s5.verification.rows)} rows, ${count(s5.verification.distinctRequestIds)} distinct of ${count(s5.events)}`,
      met: s5.verification.exact,
    });
  } else {
    checks.push(missing('S5', '≥ 20,000 events/s, exactly one row per event'));
  }

  const s6 = record.memory;
  if (s6) {
    const peaks = GATEWAY_SERVICES.map((name) => [name, s6.processes[name]?.peakRssMb ?? Number.NaN] as const);
    const [worst, worstMb] = peaks.reduce((a, b) => (b[1] > a[1] ? b : a));
    checks.push({ scenario: 'S6', goal: 'no service above 200 MB RSS', measured: `highest: ${worst} ${fixed(worstMb, 0)} MB (peak)`, met: peaks.every(([, mb]) => mb <= 200) });
  } else {
    checks.push(missing('S6', 'no service above 200 MB RSS'));
  }
  return checks;
}
