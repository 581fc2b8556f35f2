import type { IrReasoningEffort, IrThinking } from './chat-ir.js';

// Formats ask for reasoning either as a token budget (Anthropic budget_tokens, Gemini thinkingBudget)
// or as an effort level (OpenAI reasoning_effort). Crossing from one to the other uses these tables.

/** Budget sent for an effort level (Anthropic's minimum budget is 1024). */
export const EFFORT_BUDGET: Readonly<Record<IrReasoningEffort, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24_576,
};

/** The effort level closest to a budget, for formats that only take levels. */
export function effortForBudget(budget: number): IrReasoningEffort {
  if (budget <= EFFORT_BUDGET.minimal) return 'minimal';
  if (budget <= EFFORT_BUDGET.low) return 'low';
  if (budget <= EFFORT_BUDGET.medium) return 'medium';
  return 'high';
}

/** The budget to send for a thinking request: the client's own, else its effort's, else `fallback`. */
export function thinkingBudget(thinking: IrThinking, fallback: number): number {
  return thinking.budgetTokens ?? (thinking.effort === undefined ? fallback : EFFORT_BUDGET[thinking.effort]);
}

/** The effort to send for a thinking request: the client's own, else its budget's. */
export function thinkingEffort(thinking: IrThinking): IrReasoningEffort | undefined {
  return thinking.effort ?? (thinking.budgetTokens === undefined ? undefined : effortForBudget(thinking.budgetTokens));
}
