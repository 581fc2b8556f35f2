import type { CooldownReason } from '@aigw/redis';

/** Tunables of the cooldown rule. */
export interface CooldownSettings {
  baseMs: number;
  maxMs: number;
  authFailureMs: number;
}

/**
 * What an upstream status does to an account:
 *  - `reset`: success, the failure streak ends;
 *  - `backoff`: the streak grows and the account cools down for `fixedMs` when the upstream said how long
 *    (Retry-After), else for the streak's backoff;
 *  - `fixed`: a cooldown that does not depend on the streak (bad credentials);
 *  - `none`: the request was at fault, not the account.
 */
export type CooldownAction =
  | { kind: 'reset' }
  | { kind: 'backoff'; fixedMs: number }
  | { kind: 'fixed'; ms: number }
  | { kind: 'none' };

/** Maps an upstream status (0 = connect error or timeout) and its Retry-After to a cooldown action. */
export function cooldownAction(status: number, retryAfterMs: number, settings: CooldownSettings): CooldownAction {
  if (status >= 200 && status < 300) return { kind: 'reset' };
  if (status === 429) return { kind: 'backoff', fixedMs: retryAfterMs > 0 ? retryAfterMs : 0 };
  if (status === 0 || status === 408 || status >= 500) return { kind: 'backoff', fixedMs: 0 };
  if (status === 401 || status === 403) return { kind: 'fixed', ms: settings.authFailureMs };
  return { kind: 'none' };
}

/** Backoff for the n-th consecutive failure (n ≥ 1): base, 2·base, 4·base, … capped at max. */
export function backoffMs(streak: number, settings: Pick<CooldownSettings, 'baseMs' | 'maxMs'>): number {
  const doublings = Math.min(Math.max(streak - 1, 0), 30);
  return Math.min(settings.maxMs, settings.baseMs * 2 ** doublings);
}

/**
 * Why an outcome cools an account down, as operators read it: a 429 whose wait came from a quota reset is an
 * exhausted quota, any other 429 a rate limit; 401/403 rejected credentials; 0 and 408 no answer in time.
 */
export function cooldownReason(status: number, retryAfterSource: string): CooldownReason {
  if (status === 429) return retryAfterSource === 'quota-reset' ? 'quota_exhausted' : 'rate_limited';
  if (status === 401 || status === 403) return 'auth_failed';
  if (status === 0 || status === 408) return 'timeout';
  return 'upstream_error';
}

/** Where the cooldown's length comes from: the upstream's hint when it gave one that was used, else the default rule. */
export function cooldownSource(action: CooldownAction, hintSource: string): string {
  if (action.kind !== 'backoff' || action.fixedMs <= 0) return 'default';
  return hintSource === '' ? 'retry-after' : hintSource;
}

/** An upstream message as stored for operators: one line, at most 300 characters. */
export function storedMessage(message: string): string {
  return message.replace(/\s+/g, ' ').trim().slice(0, 300);
}
