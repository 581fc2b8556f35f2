import type { KeyUsage, UsageRow } from './types';

const DAY_MS = 86_400_000;

/**
 * A usage answer's days (the API lists only days with requests) with the days between filled in with zeros,
 * from its `from` day to `today`'s (UTC days, as the API counts them).
 */
export function everyDay(usage: Pick<KeyUsage, 'from' | 'days'>, today = new Date()): Array<UsageRow & { day: string }> {
  const byDay = new Map(usage.days.map((d) => [d.day, d]));
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const days: Array<UsageRow & { day: string }> = [];
  for (let t = Date.parse(`${usage.from}T00:00:00Z`); t <= end; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push(byDay.get(day) ?? { day, requests: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 });
  }
  return days;
}
