/** An access token as the caches hold it. */
export interface CachedToken {
  accessToken: string;
  /** Unix ms. */
  expiresAt: number;
  /** Unix ms after which the next caller refreshes instead of using it. */
  refreshAt: number;
}

/**
 * Refresh `marginMs` before expiry, but not before half the token's life has passed: a token issued for
 * less than twice the margin would otherwise be stale at birth and every call would refresh.
 */
export function refreshAtFor(obtainedAt: number, expiresAt: number, marginMs: number): number {
  return expiresAt - Math.min(marginMs, Math.max(0, Math.floor((expiresAt - obtainedAt) / 2)));
}

/** True while the token may be handed out without a refresh. */
export function isFresh(token: CachedToken | undefined, now: number): token is CachedToken {
  return token !== undefined && now < token.refreshAt;
}

/**
 * Reads a token cached as JSON `{accessToken, expiresAt[, refreshAt]}`; without refreshAt (an older
 * writer, or a token kept in auth_data) it is due `marginMs` before expiry. Undefined when unreadable.
 */
export function parseCachedToken(value: unknown, marginMs: number): CachedToken | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { accessToken, expiresAt, refreshAt } = value as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken === '' || typeof expiresAt !== 'number') return undefined;
  return { accessToken, expiresAt, refreshAt: typeof refreshAt === 'number' ? Math.min(refreshAt, expiresAt) : expiresAt - marginMs };
}
