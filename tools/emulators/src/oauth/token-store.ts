import { randomBytes } from 'node:crypto';

// Refresh-token rotation as strict authorization servers do it: every refresh returns a new refresh
// token and retires the one presented. An unknown refresh token is accepted once, starting a token
// family, so tests and the demo can invent tokens instead of running a login flow. Presenting a
// retired token fails with invalid_grant: that is what a gateway refreshing the same account twice
// concurrently (no single-flight) or forgetting to store the rotated token runs into.

interface RefreshTokenState {
  clientId: string;
  retired: boolean;
  /** Issued to a public client (authorization code + PKCE, no secret): its refreshes need no client_secret. */
  publicClient?: boolean;
}

export type RefreshOutcome =
  | { ok: true; accessToken: string; refreshToken: string; expiresIn: number }
  | { ok: false; error: 'invalid_grant'; description: string };

/** Above this many access tokens, expired ones are swept on the next issue. */
const SWEEP_THRESHOLD = 100_000;

export class TokenStore {
  readonly #refreshTokens = new Map<string, RefreshTokenState>();
  /** access token → expiry, ms since the epoch */
  readonly #accessTokens = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Runs the refresh_token grant: rotates the refresh token and issues an access token. */
  refresh(refreshToken: string, clientId: string, expiresInSeconds: number): RefreshOutcome {
    const known = this.#refreshTokens.get(refreshToken);
    if (known?.retired === true) {
      return { ok: false, error: 'invalid_grant', description: 'Token has been expired or revoked.' };
    }
    if (known !== undefined && known.clientId !== clientId) {
      return { ok: false, error: 'invalid_grant', description: 'Token was issued to another client.' };
    }
    if (known !== undefined) known.retired = true;
    else this.#refreshTokens.set(refreshToken, { clientId, retired: true });
    return this.issue(clientId, expiresInSeconds, known?.publicClient === true);
  }

  /** Starts a token family (the authorization code grant): a fresh refresh token and access token. */
  issue(clientId: string, expiresInSeconds: number, publicClient = false): { ok: true; accessToken: string; refreshToken: string; expiresIn: number } {
    const next = `1//emu-${randomBytes(18).toString('base64url')}`;
    this.#refreshTokens.set(next, { clientId, retired: false, ...(publicClient ? { publicClient } : {}) });
    const accessToken = `ya29.emu-${randomBytes(24).toString('base64url')}`;
    if (this.#accessTokens.size >= SWEEP_THRESHOLD) this.#sweepExpired();
    this.#accessTokens.set(accessToken, this.now() + expiresInSeconds * 1000);
    return { ok: true, accessToken, refreshToken: next, expiresIn: expiresInSeconds };
  }

  /** Whether a live refresh token was issued to a public client (no client_secret needed to use it). */
  isPublicClientToken(refreshToken: string): boolean {
    return this.#refreshTokens.get(refreshToken)?.publicClient === true;
  }

  /** True for an access token this store issued that has not expired. */
  isValidAccessToken(token: string): boolean {
    const expiresAt = this.#accessTokens.get(token);
    return expiresAt !== undefined && this.now() < expiresAt;
  }

  clear(): void {
    this.#refreshTokens.clear();
    this.#accessTokens.clear();
  }

  #sweepExpired(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.#accessTokens) if (expiresAt <= now) this.#accessTokens.delete(token);
  }
}
