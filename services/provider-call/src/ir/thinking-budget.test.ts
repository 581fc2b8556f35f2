import { describe, expect, it } from 'vitest';
import { EFFORT_BUDGET, effortForBudget, thinkingBudget, thinkingEffort } from './thinking-budget.js';

describe('thinking budget and effort', () => {
  it('maps every effort to a budget and back to the same effort', () => {
    for (const [effort, budget] of Object.entries(EFFORT_BUDGET)) expect(effortForBudget(budget)).toBe(effort);
    expect(effortForBudget(100_000)).toBe('high');
  });

  it('prefers what the client named, then converts', () => {
    expect(thinkingBudget({ enabled: true, budgetTokens: 5000 }, 1)).toBe(5000);
    expect(thinkingBudget({ enabled: true, effort: 'medium' }, 1)).toBe(8192);
    expect(thinkingBudget({ enabled: true }, 4096)).toBe(4096);
    expect(thinkingEffort({ enabled: true, effort: 'low' })).toBe('low');
    expect(thinkingEffort({ enabled: true, budgetTokens: 2000 })).toBe('low');
    expect(thinkingEffort({ enabled: true })).toBeUndefined();
  });
});
