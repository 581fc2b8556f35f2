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
  /** The caller seeds an unseeded spend counter (it has a ledger): the counters then answer `spendSeeded: false`. */
  seeding?: boolean;
}

/** The counters as the request found them. `requests` is 0 when the request was not counted (refused on tokens or spend). */
export interface AdmitAnswer {
  requests: number;
  tokens: number;
  spentMicroUsd: number;
  /**
   * False when a budget was asked about and the period's spend counter was never seeded from the request logs
   * (Redis lost it, or the budget is new): the request was not counted, and the caller seeds and asks again.
   */
  spendSeeded?: boolean;
}

/** A period's spend as the counters should hold it at least (the request logs' sum). */
export interface SeedQuery {
  apiKeyId: number;
  period: BudgetPeriod;
  periodStartMs: number;
  periodEndMs: number | null;
  nowMs: number;
  microUsd: number;
}

/** Micro-USD a key spent since a time, by the durable request logs (a spend counter's source after a Redis loss). */
export type SpendLedger = (apiKeyId: number, sinceMs: number) => Promise<number>;

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
  /** Raises the period's spend to at least `microUsd` (never lowers it) and marks it seeded. */
  seedSpend(query: SeedQuery): Promise<void>;
}

/** Which counter call failed open. */
export type KeyLimitsOperation = 'check' | 'charge' | 'seed';

/** After the ledger failed, how long requests go on with the counters as they are before seeding is tried again. */
const SEED_RETRY_MS = 10_000;

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
 *
 * Redis keeps the spend counters, and may lose them (a restart without persistence, an eviction) or never have had
 * them (a budget set mid-period). With a ledger, the first request of a key's budget period that finds its counter
 * unseeded seeds it from the request logs, so a budget holds across a Redis loss and counts the period's earlier
 * spend. The seed only raises the counter (max of the two), so spend is never counted twice; what it can miss is
 * the cost of requests finished but not yet written to the logs at that moment.
 */
export class KeyLimits {
  /** One seeding per key and period at a time in this process. */
  private readonly seeding = new Map<string, Promise<void>>();
  /** Until when seeding is not tried (the ledger failed: its database may be down, and each try would wait). */
  private seedPausedUntil = 0;

  constructor(
    private readonly counters: KeyCounters,
    private readonly onUnavailable: (operation: KeyLimitsOperation, error: unknown) => void,
    private readonly now: () => number = Date.now,
    private readonly ledger?: SpendLedger,
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
    const query: AdmitQuery = {
      apiKeyId: key.id,
      minute,
      requestLimit,
      tokenLimit,
      budgetMicroUsd: budget,
      period,
      periodStartMs: window.startMs,
      seeding: this.ledger !== undefined && now >= this.seedPausedUntil,
    };
    let answer: AdmitAnswer;
    try {
      answer = await this.counters.admit(query);
      if (answer.spendSeeded === false) {
        const seeded = await this.seed(key.id, period, window.startMs, window.endMs, now);
        answer = await this.counters.admit(seeded ? query : { ...query, seeding: false });
      }
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

  /**
   * Seeds a period's spend counter from the ledger, once at a time per key and period. False when it could not: the
   * request goes on with the counter as it is (the ledger's failure is reported, and seeding pauses a while).
   */
  private async seed(apiKeyId: number, period: BudgetPeriod, periodStartMs: number, periodEndMs: number | null, nowMs: number): Promise<boolean> {
    const id = `${apiKeyId}:${period}:${periodStartMs}`;
    let pending = this.seeding.get(id);
    if (!pending) {
      pending = (async () => {
        const microUsd = await this.ledger!(apiKeyId, periodStartMs);
        await this.counters.seedSpend({ apiKeyId, period, periodStartMs, periodEndMs, nowMs, microUsd });
      })().finally(() => this.seeding.delete(id));
      this.seeding.set(id, pending);
    }
    try {
      await pending;
      return true;
    } catch (error) {
      this.seedPausedUntil = this.now() + SEED_RETRY_MS;
      this.onUnavailable('seed', error);
      return false;
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
