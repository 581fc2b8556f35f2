import { AppError } from '@aigw/errors';
import { compilePattern } from '../routing/route-table.js';
import type { ApiKeyRecord } from './api-key-cache.js';
import { budgetWindow, type BudgetPeriod } from './budget-period.js';

/** What admitting a request asks of the counters (limits of 0 or null are not checked). */
export interface AdmitQuery {
  apiKeyId: number;
  /** Minutes since the epoch: the window of the request and token counters. */
  minute: number;
  requestLimit: number;
  tokenLimit: number;
  budgetMicroUsd: number | null;
  period: BudgetPeriod;
  periodStartMs: number;
}

/** The counters as the request found them. `requests` is 0 when the request was not counted (refused on tokens or spend). */
export interface AdmitAnswer {
  requests: number;
  tokens: number;
  spentMicroUsd: number;
}

/** What a finished request adds to its key's counters. */
export interface ChargeQuery {
  apiKeyId: number;
  minute: number;
  tokens: number;
  costMicroUsd: number;
  period: BudgetPeriod;
  periodStartMs: number;
  periodEndMs: number | null;
  nowMs: number;
}

/** The cluster-wide counters of client keys (redis-key-counters.ts). */
export interface KeyCounters {
  admit(query: AdmitQuery): Promise<AdmitAnswer>;
  charge(query: ChargeQuery): Promise<void>;
  /** Micro-USD spent by a key in the period that starts at periodStartMs. */
  spent(apiKeyId: number, period: BudgetPeriod, periodStartMs: number): Promise<number>;
}

/** Which counter call failed open. */
export type KeyLimitsOperation = 'check' | 'charge';

const MINUTE_MS = 60_000;

/** A key's tokens of a request, as the minute counter counts them: the prompt and the answer. */
export interface ChargedUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Whether a key has any limit kept in the counters (without one, no Redis call is made for it). */
export function hasCountedLimits(key: ApiKeyRecord): boolean {
  return (key.rateLimitPerMin ?? 0) > 0 || (key.tokensPerMin ?? 0) > 0 || (key.budgetMicroUsd ?? null) !== null;
}

/** Whether a key may use a model: it lists no models, or one of its names (or `*` patterns) matches. */
export function modelAllowed(key: ApiKeyRecord, model: string): boolean {
  const allowed = key.allowedModels;
  return allowed === null || allowed === undefined || allowed.some((name) => compilePattern(name)(model));
}

/** USD of micro-USD, as a message shows it: cents, or finer when the amount has finer parts. */
export function formatUsd(microUsd: number): string {
  const usd = microUsd / 1_000_000;
  return `$${microUsd % 10_000 === 0 ? usd.toFixed(2) : usd.toFixed(6).replace(/0+$/, '')}`;
}

/**
 * Per-key limits, cluster-wide through shared counters: requests per minute, tokens per minute (checked before a
 * request, charged after it), and a spend budget per UTC period (checked before, charged with the request's cost
 * after it completes), so that concurrent requests of one key overspend by at most the requests in flight. When
 * the counters cannot be reached in time the request goes through (fail open) and onUnavailable is told.
 */
export class KeyLimits {
  constructor(
    private readonly counters: KeyCounters,
    private readonly onUnavailable: (operation: KeyLimitsOperation, error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws RATE_LIMITED or BUDGET_EXCEEDED (with the time to wait) when the key may not send a request now. */
  async check(key: ApiKeyRecord): Promise<void> {
    if (!hasCountedLimits(key)) return;
    const now = this.now();
    const minute = Math.floor(now / MINUTE_MS);
    const period = key.budgetPeriod ?? 'month';
    const window = budgetWindow(period, now);
    const requestLimit = key.rateLimitPerMin ?? 0;
    const tokenLimit = key.tokensPerMin ?? 0;
    const budget = key.budgetMicroUsd ?? null;
    let answer: AdmitAnswer;
    try {
      answer = await this.counters.admit({ apiKeyId: key.id, minute, requestLimit, tokenLimit, budgetMicroUsd: budget, period, periodStartMs: window.startMs });
    } catch (error) {
      this.onUnavailable('check', error);
      return;
    }
    const nextMinuteMs = (minute + 1) * MINUTE_MS - now;
    if (budget !== null && answer.spentMicroUsd >= budget) {
      const spent = `${formatUsd(answer.spentMicroUsd)} spent`;
      throw new AppError(
        'BUDGET_EXCEEDED',
        window.endMs === null
          ? `this API key's total budget of ${formatUsd(budget)} is used up (${spent}); it does not reset: ask for a larger budget`
          : `this API key's budget of ${formatUsd(budget)} per ${period} is used up (${spent}); it resets at ${new Date(window.endMs).toISOString()}`,
        window.endMs === null ? {} : { retryAfterMs: window.endMs - now },
      );
    }
    if (tokenLimit > 0 && answer.tokens >= tokenLimit) {
      throw new AppError('RATE_LIMITED', `token limit of ${tokenLimit} tokens per minute reached for this API key`, { retryAfterMs: nextMinuteMs });
    }
    if (requestLimit > 0 && answer.requests > requestLimit) {
      throw new AppError('RATE_LIMITED', `rate limit of ${requestLimit} requests per minute exceeded for this API key`, { retryAfterMs: nextMinuteMs });
    }
  }

  /** Throws PERMISSION_DENIED, naming the model, when the key may not use it (allowed names may hold `*`). */
  checkModel(key: ApiKeyRecord, model: string): void {
    const allowed = key.allowedModels;
    if (allowed === null || allowed === undefined || model === '' || modelAllowed(key, model)) return;
    throw new AppError('PERMISSION_DENIED', `model "${model}" is not allowed for this API key (allowed: ${allowed.join(', ') || 'none'})`);
  }

  /**
   * Adds a finished request's tokens and cost to its key's counters. The counter call is issued at once (so a
   * replica's next request of the key, later on the same connection, sees it) and not waited for.
   */
  charge(key: ApiKeyRecord, usage: ChargedUsage | undefined, costMicroUsd: number | undefined): void {
    const tokens = (key.tokensPerMin ?? 0) > 0 && usage ? Math.max(0, usage.inputTokens) + Math.max(0, usage.outputTokens) : 0;
    const cost = (key.budgetMicroUsd ?? null) !== null && costMicroUsd !== undefined ? Math.max(0, Math.round(costMicroUsd)) : 0;
    if (tokens === 0 && cost === 0) return;
    const now = this.now();
    const period = key.budgetPeriod ?? 'month';
    const window = budgetWindow(period, now);
    this.counters
      .charge({ apiKeyId: key.id, minute: Math.floor(now / MINUTE_MS), tokens, costMicroUsd: cost, period, periodStartMs: window.startMs, periodEndMs: window.endMs, nowMs: now })
      .catch((error: unknown) => this.onUnavailable('charge', error));
  }
}
