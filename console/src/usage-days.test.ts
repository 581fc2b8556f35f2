import { describe, expect, it } from 'vitest';
import { everyDay } from './usage-days';

const row = (day: string, requests: number) => ({ day, requests, inputTokens: 10 * requests, outputTokens: 5 * requests, cachedTokens: 0, costUsd: 0.01 * requests });

describe('everyDay', () => {
  it('fills the days without requests with zeros, from the first day to today', () => {
    const days = everyDay({ from: '2026-12-01', days: [row('2026-12-02', 3), row('2026-12-04', 1)] }, new Date('2026-12-05T13:00:00Z'));
    expect(days.map((d) => [d.day, d.requests])).toEqual([
      ['2026-12-01', 0],
      ['2026-12-02', 3],
      ['2026-12-03', 0],
      ['2026-12-04', 1],
      ['2026-12-05', 0],
    ]);
    expect(days[1]).toEqual(row('2026-12-02', 3));
    expect(days[0]).toEqual({ day: '2026-12-01', requests: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 });
  });

  it('counts UTC days across a month end, whatever the time of day', () => {
    const days = everyDay({ from: '2026-11-29', days: [] }, new Date('2026-12-01T23:59:59Z'));
    expect(days.map((d) => d.day)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
  });
});
