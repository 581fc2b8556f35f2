import { AppError } from '@aigw/errors';
import { identityClaims } from './id-token.js';
import type { LoginClient } from './login-clients.js';
import { fieldsOf, postForJson, textField, type Outbound } from './outbound-json.js';

/** What the authorization code grant gave, and who it was for. */
export interface ExchangedTokens {
  accessToken: string;
  refreshToken: string;
  /** Unix ms. */
  expiresAt: number;
  email: string | undefined;
  chatgptAccountId: string | undefined;
}

/** Reads a token endpoint's answer to the code grant; a refusal is a 400 naming the OAuth error word only. */
export function interpretCodeGrant(status: number, body: unknown, now: number): ExchangedTokens {
  const fields = fieldsOf(body);
  if (status >= 200 && status < 300) {
    const accessToken = textField(fields, 'access_token');
    const refreshToken = textField(fields, 'refresh_token');
    if (accessToken === undefined || refreshToken === undefined) {
      // Google leaves the refresh token out when consent was not shown again (no prompt=consent).
      throw new AppError('UPSTREAM_ERROR', `the token endpoint sent no ${accessToken === undefined ? 'access' : 'refresh'} token`);
    }
    const expiresIn = Number(fields['expires_in'] ?? 3600);
    const claims = identityClaims(textField(fields, 'id_token'));
    // Anthropic answers who logged in beside the tokens.
    const account = fieldsOf(fields['account']);
    return {
      accessToken,
      refreshToken,
      expiresAt: now + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000,
      email: claims.email ?? textField(account, 'email_address'),
      chatgptAccountId: claims.chatgptAccountId,
    };
  }
  const oauthError = textField(fields, 'error');
  const word = oauthError !== undefined && /^[a-z_]{1,64}$/.test(oauthError) ? oauthError : undefined;
  if (status >= 400 && status < 500) {
    throw new AppError('INVALID_REQUEST', `the token endpoint refused the authorization code (${word ?? `status ${status}`}); start a new login`, {
      details: { param: 'code' },
    });
  }
  throw new AppError('UPSTREAM_ERROR', `the token endpoint failed (status ${status})`);
}

/** Runs the authorization code grant with the PKCE verifier, as the kind's real client sends it. */
export async function exchangeCode(
  outbound: Outbound,
  client: LoginClient,
  grant: { code: string; verifier: string; redirectUri: string; state: string },
  now: () => number = Date.now,
): Promise<ExchangedTokens> {
  const fields: Record<string, string> = {
    grant_type: 'authorization_code',
    code: grant.code,
    redirect_uri: grant.redirectUri,
    client_id: client.clientId,
    ...(client.clientSecret === undefined ? {} : { client_secret: client.clientSecret }),
    code_verifier: grant.verifier,
  };
  // Claude Code posts JSON and echoes the state; Google and OpenAI take the RFC 6749 form.
  const json = client.tokenRequestFormat === 'json';
  const answer = json
    ? await postForJson(outbound, 'the token endpoint', client.tokenUrl, { 'content-type': 'application/json' }, JSON.stringify({ ...fields, state: grant.state }))
    : await postForJson(outbound, 'the token endpoint', client.tokenUrl, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(fields).toString());
  return interpretCodeGrant(answer.status, answer.body, now());
}

/** A fresh access token for an imported credential (to find its Cloud Code project); the refresh token may rotate. */
export async function refreshForImport(
  outbound: Outbound,
  credential: { clientId: string; clientSecret?: string | undefined; refreshToken: string; tokenUrl: string },
): Promise<{ accessToken: string; refreshToken: string; expiresAt: number }> {
  const fields: Record<string, string> = {
    grant_type: 'refresh_token',
    refresh_token: credential.refreshToken,
    client_id: credential.clientId,
    ...(credential.clientSecret === undefined ? {} : { client_secret: credential.clientSecret }),
  };
  const answer = await postForJson(outbound, 'the token endpoint', credential.tokenUrl, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(fields).toString());
  const body = fieldsOf(answer.body);
  const accessToken = textField(body, 'access_token');
  if (answer.status < 200 || answer.status > 299 || accessToken === undefined) {
    const word = textField(body, 'error');
    throw new AppError('INVALID_REQUEST', `the token endpoint refused the file's refresh token (${word !== undefined && /^[a-z_]{1,64}$/.test(word) ? word : `status ${answer.status}`})`);
  }
  const expiresIn = Number(body['expires_in'] ?? 3600);
  return { accessToken, refreshToken: textField(body, 'refresh_token') ?? credential.refreshToken, expiresAt: Date.now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000 };
}
