import { describe, expect, it } from 'vitest';
import { asBudgetPeriod, budgetWindow } from './budget-period.js';

const at = (iso: string) => Date.parse(iso);
const window = (period: Parameters<typeof budgetWindow>[0], iso: string) => {
  const { startMs, endMs } = budgetWindow(period, at(iso));
  return [new Date(startMs).toISOString(), endMs === null ? null : new Date(endMs).toISOString()];
};

describe('budgetWindow', () => {
  it('cuts days at UTC midnight', () => {
    expect(window('day', '2026-12-07T23:59:59.999Z')).toEqual(['2026-12-07T00:00:00.000Z', '2026-12-08T00:00:00.000Z']);
  });

  it('starts ISO weeks on Monday, a Sunday belonging to the week before', () => {
    expect(window('week', '2026-12-07T10:00:00Z')).toEqual(['2026-12-07T00:00:00.000Z', '2026-12-14T00:00:00.000Z']); // a Monday
    expect(window('week', '2026-12-13T23:00:00Z')).toEqual(['2026-12-07T00:00:00.000Z', '2026-12-14T00:00:00.000Z']); // its Sunday
    expect(window('week', '2027-01-01T00:00:00Z')).toEqual(['2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z']); // across the year
  });

  it('runs calendar months, December into January and February’s 28 days', () => {
    expect(window('month', '2026-12-31T23:59:59Z')).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(window('month', '2027-02-14T00:00:00Z')).toEqual(['2027-02-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z']);
  });

  it('never ends a total budget', () => {
    expect(budgetWindow('total', at('2026-12-07T10:00:00Z'))).toEqual({ startMs: 0, endMs: null });
  });

  it('reads an unknown stored period as a month', () => {
    expect(asBudgetPeriod('week')).toBe('week');
    expect(asBudgetPeriod(null)).toBe('month');
    expect(asBudgetPeriod('fortnight')).toBe('month');
  });
});
