import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from './bench-options.js';

describe('parseBenchOptions', () => {
  it('defaults to the full set: 3 runs of 10 s, 1M events, every scenario and target', () => {
    const o = parseBenchOptions([], {});
    expect(o).toMatchObject({ quick: false, runs: 3, durationSeconds: 10, warmupSeconds: 3, logEvents: 1_000_000, loadGenerator: 'wrk' });
    expect(o.scenarios).toEqual(['S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8']);
    expect(o.targets).toEqual(['direct', 'proxy-hop', 'portkey', 'gateway']);
    expect(o.profileDir).toBeUndefined();
  });

  it('takes a profile directory from --profile or BENCH_PROFILE', () => {
    expect(parseBenchOptions(['--profile=/tmp/prof'], {}).profileDir).toBe('/tmp/prof');
    expect(parseBenchOptions([], { BENCH_PROFILE: 'profiles' }).profileDir).toBe('profiles');
  });

  it('lowers the defaults in quick mode but keeps what is given', () => {
    const o = parseBenchOptions(['--quick', '--runs=2'], {});
    expect(o).toMatchObject({ quick: true, runs: 2, durationSeconds: 3, logEvents: 50_000 });
  });

  it('takes subsets in canonical order, case-insensitively, and environment variables', () => {
    const o = parseBenchOptions(['--scenarios=s3,S0'], { BENCH_TARGETS: 'gateway,direct', BENCH_DURATION: '5' });
    expect(o.scenarios).toEqual(['S0', 'S3']);
    expect(o.targets).toEqual(['direct', 'gateway']);
    expect(o.durationSeconds).toBe(5);
    expect(parseBenchOptions(['--scenarios=s8,S7'], {}).scenarios).toEqual(['S7', 'S8']);
  });

  it('rejects what it does not know', () => {
    expect(() => parseBenchOptions(['--scenarios=S9'], {})).toThrow(/subset/);
    expect(() => parseBenchOptions(['--runs=0'], {})).toThrow(/integer/);
    expect(() => parseBenchOptions(['--nope=1'], {})).toThrow(/unknown option/);
    expect(() => parseBenchOptions(['--load-generator=ab'], {})).toThrow(/wrk or autocannon/);
  });
});
