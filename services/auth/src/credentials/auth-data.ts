import { AppError } from '@aigw/errors';

/** Decrypted `auth_data` of an OAuth account; accessToken/expiresAt survive a cold Redis. */
export interface OAuthData {
  clientId: string;
  /** Absent for public clients (PKCE logins such as Claude Code's and Codex's): the grant then carries none. */
  clientSecret?: string;
  /** How the token endpoint wants the refresh grant: a form (RFC 6749, Google, OpenAI) or JSON (Anthropic). */
  tokenRequestFormat?: 'form' | 'json';
  refreshToken: string;
  tokenUrl: string;
  accessToken?: string;
  /** Unix ms. */
  expiresAt?: number;
}

/** An account's secret, by auth type. */
export type AuthSecret =
  | { authType: 'api_key'; apiKey: string }
  | { authType: 'bearer'; token: string }
  | { authType: 'oauth'; oauth: OAuthData };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function malformed(accountId: number, what: string): AppError {
  // Names the missing field, never a value.
  return new AppError('INTERNAL', `credentials of account ${accountId} are malformed (${what})`);
}

/** Reads the OAuth fields of decrypted auth data; throws INTERNAL naming what is missing. */
export function parseOAuthData(accountId: number, data: Record<string, unknown>): OAuthData {
  const clientId = text(data['clientId']);
  const clientSecret = text(data['clientSecret']);
  const refreshToken = text(data['refreshToken']);
  const tokenUrl = text(data['tokenUrl']);
  const missing = Object.entries({ clientId, refreshToken, tokenUrl }).filter(([, v]) => v === undefined);
  if (missing.length > 0 || !clientId || !refreshToken || !tokenUrl) {
    throw malformed(accountId, `missing ${missing.map(([k]) => k).join(', ')}`);
  }
  const accessToken = text(data['accessToken']);
  const rawExpiry = data['expiresAt'];
  const expiresAt = typeof rawExpiry === 'number' ? rawExpiry : typeof rawExpiry === 'string' ? Date.parse(rawExpiry) : NaN;
  return {
    clientId,
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    ...(data['tokenRequestFormat'] === 'json' ? { tokenRequestFormat: 'json' as const } : {}),
    refreshToken,
    tokenUrl,
    ...(accessToken !== undefined && Number.isFinite(expiresAt) ? { accessToken, expiresAt } : {}),
  };
}

/** Interprets decrypted `auth_data` JSON for the account's auth type. */
export function parseAuthSecret(accountId: number, authType: string, data: unknown): AuthSecret {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw malformed(accountId, 'not a JSON object');
  const fields = data as Record<string, unknown>;
  switch (authType) {
    case 'api_key': {
      const apiKey = text(fields['apiKey']);
      if (apiKey === undefined) throw malformed(accountId, 'missing apiKey');
      return { authType, apiKey };
    }
    case 'bearer': {
      const token = text(fields['token']);
      if (token === undefined) throw malformed(accountId, 'missing token');
      return { authType, token };
    }
    case 'oauth':
      return { authType, oauth: parseOAuthData(accountId, fields) };
    default:
      throw malformed(accountId, `unknown auth type ${JSON.stringify(authType)}`);
  }
}
