/** How often a key's budget starts again (api_keys.budget_period). */
export const BUDGET_PERIODS = ['day', 'week', 'month', 'total'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** One budget period: from `startMs` (inclusive) to `endMs` (exclusive); `total` never ends. */
export interface PeriodWindow {
  startMs: number;
  endMs: number | null;
}

const DAY_MS = 86_400_000;

/** The UTC period holding `nowMs`: the day, the ISO week (from Monday), the calendar month, or all time. */
export function budgetWindow(period: BudgetPeriod, nowMs: number): PeriodWindow {
  const now = new Date(nowMs);
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  switch (period) {
    case 'day':
      return { startMs: midnight, endMs: midnight + DAY_MS };
    case 'week': {
      // getUTCDay: Sunday 0 … Saturday 6; days since Monday.
      const start = midnight - ((now.getUTCDay() + 6) % 7) * DAY_MS;
      return { startMs: start, endMs: start + 7 * DAY_MS };
    }
    case 'month':
      return { startMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1), endMs: Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) };
    case 'total':
      return { startMs: 0, endMs: null };
  }
}

/** A stored budget_period, read leniently: anything unknown is the default, a month. */
export function asBudgetPeriod(value: string | null | undefined): BudgetPeriod {
  return (BUDGET_PERIODS as readonly string[]).includes(value ?? '') ? (value as BudgetPeriod) : 'month';
}
