import { describe, expect, it } from 'vitest';
import type { BenchRecord, LoadScenarioRecord, LoadSummary, StreamScenarioRecord, StreamSummary } from './bench-record.js';
import { issueTargets } from './issue-targets.js';

const loadSummary = (requestsPerSecond: number, overheadP50?: number): LoadSummary => ({
  requestsPerSecond,
  latencyMs: { p50: 1, p90: 1, p99: 100, p999: 1, mean: 1, max: 1 },
  ...(overheadP50 === undefined ? {} : { overheadMs: { p50: overheadP50, p99: 0, p999: 0 } }),
  requests: 1000,
  errors: { connect: 0, read: 0, write: 0, timeout: 0, non2xx: 0 },
  cpuSeconds: {},
  peakRssMb: {},
  loadGeneratorCpuSeconds: 0,
  otherCpuSeconds: 0,
});

const streamSummary = (ttfbOverhead: number | undefined, incomplete = 0): StreamSummary => ({
  streamsPerSecond: 10,
  ttfbMs: { p50: 1, p90: 1, p99: 1, p999: 1, mean: 1, max: 1 },
  totalMs: { p50: 1, p90: 1, p99: 1, p999: 1, mean: 1, max: 1 },
  ...(ttfbOverhead === undefined ? {} : { overheadMs: { ttfbP50: ttfbOverhead, ttfbP99: 0, totalP50: 0, totalP99: 0 } }),
  eventsPerStream: 25,
  streams: 100,
  errors: { failed: 0, timeout: 0, non2xx: 0, incomplete },
  cpuSeconds: {},
  peakRssMb: {},
  clientCpuSeconds: 0,
  otherCpuSeconds: 0,
});

const loadScenario = (id: string, targets: Record<string, LoadSummary>): LoadScenarioRecord => ({
  id,
  title: id,
  connections: 1,
  upstreamDelayMs: 0,
  loadGenerator: 'wrk',
  targets: Object.entries(targets).map(([target, summary]) => ({ target: target as 'gateway', runs: [], summary })),
});

const agentCase = (route: 'translated' | 'pass-through', connections: number, targets: Record<string, StreamSummary | string>): StreamScenarioRecord => ({
  id: 'S7',
  title: 'S7',
  connections,
  route,
  targets: Object.entries(targets).map(([target, s]) =>
    typeof s === 'string' ? { target: target as 'portkey', runs: [], unavailable: s } : { target: target as 'gateway', runs: [], summary: s },
  ),
});

const record = {
  load: [
    loadScenario('S0', { direct: loadSummary(100), portkey: loadSummary(90, 1.5), gateway: loadSummary(80, 2.1) }),
    loadScenario('S1', { portkey: loadSummary(900), gateway: loadSummary(2_250) }),
  ],
  agentTurn: [
    agentCase('translated', 1, { gateway: streamSummary(4.2), portkey: 'Portkey cannot translate' }),
    agentCase('pass-through', 1, { gateway: streamSummary(2.0), portkey: streamSummary(1.4) }),
    agentCase('translated', 20, { gateway: streamSummary(9, 2) }),
  ],
} as unknown as BenchRecord;

const find = (goal: RegExp) => issueTargets(record).find((c) => goal.test(`${c.scenario} ${c.goal}`));

describe('issueTargets', () => {
  it('states a throughput ratio to Portkey with how far it is from the goal', () => {
    expect(find(/^S1 /)).toMatchObject({ met: false, measured: '2,250 vs 900 req/s = 2.50×', margin: 'missed by 0.50× (450 req/s short of 2,700)' });
  });

  it("compares S0's overhead with 1.2 times Portkey's in the same run", () => {
    expect(find(/^S0 /)).toMatchObject({ met: false, margin: 'missed by 0.300 ms' });
  });

  it('checks S7 per route and connection count, Portkey where it ran', () => {
    expect(find(/S7 1 connection, translated/)).toMatchObject({ met: true, margin: 'by 0.800 ms' });
    expect(find(/S7 1 connection, pass-through: time/)).toMatchObject({ met: true });
    expect(find(/below Portkey/)).toMatchObject({ met: false, measured: '2.00 vs Portkey 1.40 ms' });
    expect(find(/S7 20 connections, translated/)).toMatchObject({ met: false, margin: 'missed by 2' });
    expect(find(/S7 20 connections, pass-through/)).toMatchObject({ met: undefined });
  });

  it('leaves what was not run unmeasured instead of failing it', () => {
    expect(find(/^S5 /)?.met).toBeUndefined();
    expect(find(/^S6 /)?.met).toBeUndefined();
    expect(find(/^S3 throughput/)?.met).toBeUndefined();
  });
});
