import { AppError } from '@aigw/errors';

export interface RefreshBackoffSettings {
  /** Wait after the first failed refresh of an account; doubles with each further failure. */
  baseMs: number;
  maxMs: number;
}

interface Failing {
  failures: number;
  /** Unix ms before which no refresh of the account is tried. */
  until: number;
  error: AppError;
}

/** Wait after the n-th consecutive failed refresh (n ≥ 1): base, 2·base, 4·base, … capped at max. */
export function refreshBackoffMs(failures: number, settings: RefreshBackoffSettings): number {
  return Math.min(settings.maxMs, settings.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
}

/**
 * Per-account backoff of failed OAuth refreshes (token endpoint 5xx, timeout, refusal, rejected grant): a failing
 * endpoint gets one try per backoff step from this process instead of one per request, and a caller with no valid
 * token fails at once, with a hint of when to come back, instead of waiting on the endpoint.
 */
export class RefreshBackoff {
  readonly #failing = new Map<number, Failing>();

  constructor(
    private readonly settings: RefreshBackoffSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws when the account is backing off: the last refresh error, with the time left as retryAfterMs. */
  check(accountId: number): void {
    const failing = this.#failing.get(accountId);
    if (failing === undefined) return;
    const left = failing.until - this.now();
    if (left <= 0) return;
    const { error } = failing;
    throw new AppError(error.code, `${error.message}; next refresh in ${Math.ceil(left / 1000)} s`, {
      cause: error,
      retryAfterMs: left,
      details: { ...error.details },
    });
  }

  /** Whether a refresh may be tried now. */
  allows(accountId: number): boolean {
    const failing = this.#failing.get(accountId);
    return failing === undefined || this.now() >= failing.until;
  }

  /** A refresh failed: the next one waits one step longer. Returns the wait. */
  failed(accountId: number, error: AppError): number {
    const failures = (this.#failing.get(accountId)?.failures ?? 0) + 1;
    const waitMs = refreshBackoffMs(failures, this.settings);
    this.#failing.set(accountId, { failures, until: this.now() + waitMs, error });
    return waitMs;
  }

  /** A refresh succeeded, or the account changed (a new refresh token may heal it): no more waiting. */
  clear(accountId?: number): void {
    if (accountId === undefined) this.#failing.clear();
    else this.#failing.delete(accountId);
  }
}
