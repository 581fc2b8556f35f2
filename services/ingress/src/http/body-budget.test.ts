import { describe, expect, it } from 'vitest';
import { BodyBudget, budgetExhausted } from './body-budget.js';

describe('BodyBudget', () => {
  it('takes bytes while they fit and gives them back', () => {
    const budget = new BodyBudget(100);
    expect(budget.tryTake(60)).toBe(true);
    expect(budget.tryTake(50)).toBe(false);
    expect(budget.used).toBe(60);
    expect(budget.tryTake(40)).toBe(true);
    budget.give(60);
    budget.give(40);
    expect(budget.used).toBe(0);
    expect(budget.tryTake(100)).toBe(true);
  });

  it('refuses with a retryable 503', () => {
    const error = budgetExhausted();
    expect(error.httpStatus).toBe(503);
    expect(error.retryAfterMs).toBe(1_000);
  });
});
