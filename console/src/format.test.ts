import { describe, expect, it } from 'vitest';
import { fmtRelative, fmtUsd } from './format';

describe('fmtUsd', () => {
  it('writes cents, and fractions of a cent in two significant digits', () => {
    expect(fmtUsd(0)).toBe('$0.00');
    expect(fmtUsd(0.034)).toBe('$0.03');
    expect(fmtUsd(12.5)).toBe('$12.50');
    expect(fmtUsd(0.0000734)).toBe('$0.000073');
    expect(fmtUsd(0.0049)).toBe('$0.0049');
    expect(fmtUsd(null)).toBe('—');
  });
});

describe('fmtRelative', () => {
  it('says in for the future and ago for now and the past', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(fmtRelative('2026-12-07T13:00:30Z', now)).toBe('in 1h 0m');
    expect(fmtRelative('2026-12-07T11:59:50Z', now)).toBe('10s ago');
    expect(fmtRelative('2026-12-07T12:00:00Z', now)).toBe('0s ago');
  });
});
