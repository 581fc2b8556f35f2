import { describe, expect, it } from 'vitest';
import { bucketStart, bucketStarts, timeseriesQuery, timeseriesWindow } from './stats-timeseries.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('time series buckets', () => {
  it('starts buckets on UTC hours and days, and lists every one of a window', () => {
    expect(new Date(bucketStart(at('2026-12-07T18:42:10Z'), 'hour')).toISOString()).toBe('2026-12-07T18:00:00.000Z');
    expect(new Date(bucketStart(at('2026-12-07T18:42:10Z'), 'day')).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    const starts = bucketStarts(at('2026-12-07T16:30:00Z'), at('2026-12-07T19:00:00Z'), 'hour');
    expect(starts.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['16:00', '17:00', '18:00']);
  });

  it('defaults to the last 24 hours by the hour and 30 days by the day, and keeps at most 800 buckets', () => {
    const now = at('2026-12-07T18:42:00Z');
    expect(timeseriesWindow(timeseriesQuery.parse({}), now)).toEqual({ from: now - 24 * HOUR, to: now });
    expect(timeseriesWindow(timeseriesQuery.parse({ bucket: 'day' }), now)).toEqual({ from: now - 30 * 24 * HOUR, to: now });
    const year = timeseriesWindow(timeseriesQuery.parse({ bucket: 'hour', from: '2025-12-07T00:00:00Z' }), now);
    expect(bucketStarts(year.from, year.to, 'hour')).toHaveLength(800);
    expect(year.to).toBe(now);
  });

  it('refuses an unknown bucket or grouping and a window that ends before it starts', () => {
    expect(timeseriesQuery.safeParse({ bucket: 'minute' }).success).toBe(false);
    expect(timeseriesQuery.safeParse({ by: 'account' }).success).toBe(false);
    expect(timeseriesQuery.safeParse({ from: '2026-12-07T10:00:00Z', to: '2026-12-07T09:00:00Z' }).success).toBe(false);
    expect(timeseriesQuery.safeParse({ from: 'yesterday' }).success).toBe(false);
  });
});
