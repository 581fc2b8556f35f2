import { request, type Dispatcher } from 'undici';
import { AppError } from '@aigw/errors';
import type { OAuthData } from '../credentials/auth-data.js';

/** What a successful refresh-token grant gives back. */
export interface TokenGrant {
  accessToken: string;
  expiresInMs: number;
  /** Present when the server rotated the refresh token; the old one is then dead. */
  refreshToken?: string;
}

// RFC 6749 §5.1 makes expires_in optional; Google always sends it. An hour is what Google issues.
const DEFAULT_EXPIRES_IN_S = 3600;

/** Reads a token endpoint's answer (RFC 6749 §5.1/§5.2) into a grant or an AppError free of secrets. */
export function interpretTokenResponse(accountId: number, status: number, body: unknown): TokenGrant {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (status >= 200 && status < 300) {
    const accessToken = fields['access_token'];
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new AppError('UNAVAILABLE', `oauth token endpoint sent no access token for account ${accountId}`);
    }
    const expiresIn = Number(fields['expires_in'] ?? DEFAULT_EXPIRES_IN_S);
    const refreshToken = fields['refresh_token'];
    return {
      accessToken,
      expiresInMs: (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_S) * 1000,
      ...(typeof refreshToken === 'string' && refreshToken !== '' ? { refreshToken } : {}),
    };
  }
  if (status === 400 || status === 401) {
    // The OAuth error code (invalid_grant, invalid_client, …) is a fixed word, safe to pass on.
    const oauthError = typeof fields['error'] === 'string' && /^[a-z_]{1,64}$/.test(fields['error']) ? fields['error'] : 'unknown';
    throw new AppError('UNAUTHENTICATED', `oauth refresh rejected for account ${accountId}`, { details: { oauthError } });
  }
  throw new AppError('UNAVAILABLE', `oauth token endpoint failed for account ${accountId} (status ${status})`, {
    details: { status: String(status) },
  });
}

/**
 * Runs the refresh-token grant against the account's token endpoint, through `dispatcher` (the one obeying the
 * egress policy in the service; undici's global one when omitted).
 */
export async function requestRefreshGrant(accountId: number, oauth: OAuthData, timeoutMs: number, dispatcher?: Dispatcher): Promise<TokenGrant> {
  const fields: Record<string, string> = {
    grant_type: 'refresh_token',
    refresh_token: oauth.refreshToken,
    client_id: oauth.clientId,
    ...(oauth.clientSecret === undefined ? {} : { client_secret: oauth.clientSecret }),
  };
  const json = oauth.tokenRequestFormat === 'json';
  let status: number;
  let text: string;
  try {
    const response = await request(oauth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
      ...(dispatcher === undefined ? {} : { dispatcher }),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    // The cause keeps the failure's kind (ECONNREFUSED, timeout) and drops everything else it may quote.
    const { name, code, message } = error as { name?: string; code?: string; message?: string };
    // The egress policy's refusal names no secret and tells the operator what to change.
    const refused = code === 'EGRESS_REFUSED' ? ` (${message ?? 'egress refused'})` : '';
    throw new AppError('UNAVAILABLE', `oauth token endpoint unreachable for account ${accountId}${refused}`, {
      cause: new Error([name, code].filter(Boolean).join(' ') || 'request failed'),
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return interpretTokenResponse(accountId, status, body);
}
