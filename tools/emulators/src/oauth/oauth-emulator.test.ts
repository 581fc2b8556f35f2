import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startOAuthEmulator, type OAuthEmulator } from './oauth-emulator.js';

let oauth: OAuthEmulator;
beforeAll(async () => {
  oauth = await startOAuthEmulator({ expiresInSeconds: 120 });
});
afterAll(() => oauth.close());
beforeEach(() => oauth.reset());

async function refresh(fields: Record<string, string>): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(oauth.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const grant = (refreshToken: string, clientId = 'client-a'): Record<string, string> => ({
  grant_type: 'refresh_token',
  refresh_token: refreshToken,
  client_id: clientId,
  client_secret: 'secret',
});

describe('OAuth token endpoint', () => {
  it('accepts an unknown refresh token once and rotates it', async () => {
    const first = await refresh(grant('rt-initial'));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 120, scope: expect.any(String) });
    expect(first.body.refresh_token).not.toBe('rt-initial');
    expect(oauth.isValidAccessToken(first.body.access_token)).toBe(true);

    const reused = await refresh(grant('rt-initial'));
    expect(reused).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: expect.any(String) } });

    const second = await refresh(grant(first.body.refresh_token));
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await refresh(grant(first.body.refresh_token))).status).toBe(400);
    expect(oauth.refreshCount()).toBe(2);
    expect(oauth.refreshCountFor('client-a')).toBe(2);
    expect(oauth.refreshCountFor('client-b')).toBe(0);
  });

  it('rejects a rotated token presented by another client', async () => {
    const first = await refresh(grant('rt-x', 'client-a'));
    expect((await refresh(grant(first.body.refresh_token, 'client-b'))).body.error).toBe('invalid_grant');
  });

  it('answers invalid_request for missing fields and unsupported_grant_type', async () => {
    const missing = await refresh({ grant_type: 'refresh_token', client_id: 'c' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
    expect(missing.body.error_description).toMatch(/refresh_token.*client_secret/);
    expect((await refresh({ ...grant('r'), grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
  });

  it('accepts client credentials by HTTP Basic', async () => {
    const res = await fetch(oauth.url, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('client-basic:s').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'rt-basic' }),
    });
    expect(res.status).toBe(200);
    expect(oauth.refreshCountFor('client-basic')).toBe(1);
  });

  it('expires access tokens and honours setExpiresIn', async () => {
    oauth.setExpiresIn(0);
    const res = await refresh(grant('rt-short'));
    expect(res.body.expires_in).toBe(0);
    expect(oauth.isValidAccessToken(res.body.access_token)).toBe(false);
    expect(oauth.isValidAccessToken('never-issued')).toBe(false);
  });

  it('serves per-client stats', async () => {
    await refresh(grant('rt-s1', 'c1'));
    await refresh(grant('rt-s1', 'c1'));
    const stats = await (await fetch(oauth.url.replace('/token', '/_emu/stats'))).json();
    expect(stats).toEqual({ refreshes: 1, rejected: 1, failed: 0, byClientId: { c1: { refreshes: 1, rejected: 1, failed: 0 } } });
  });

  it('fails one client with 500 or by hanging, set directly or through /_emu/config, and heals', async () => {
    oauth.setFailure('c-bad', 'error');
    expect((await refresh(grant('rt-f1', 'c-bad'))).status).toBe(500);
    expect((await refresh(grant('rt-f2', 'c-good'))).status).toBe(200);
    await fetch(oauth.url.replace('/token', '/_emu/config'), { method: 'POST', body: JSON.stringify({ failure: { clientId: 'c-bad', mode: 'hang' } }) });
    const hung = await fetch(oauth.url, { method: 'POST', body: new URLSearchParams(grant('rt-f3', 'c-bad')), signal: AbortSignal.timeout(200) }).catch((e: Error) => e.name);
    expect(hung).toBe('TimeoutError');
    expect(oauth.failedCountFor('c-bad')).toBe(2);
    oauth.setFailure('c-bad', undefined);
    expect((await refresh(grant('rt-f4', 'c-bad'))).status).toBe(200);
  });
});

describe('authorization code grant with PKCE', () => {
  const verifier = 'v'.repeat(43);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorizeQuery = (extra: Record<string, string> = {}) =>
    new URLSearchParams({ client_id: 'pub', redirect_uri: 'http://localhost:1455/auth/callback', response_type: 'code', scope: 'openid email', state: 's-1', code_challenge: challenge, code_challenge_method: 'S256', ...extra });

  async function authorize(): Promise<string> {
    const res = await fetch(`${oauth.authorizeUrl}?${authorizeQuery()}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('http://localhost:1455/auth/callback');
    expect(location.searchParams.get('state')).toBe('s-1');
    return location.searchParams.get('code')!;
  }

  it('shows a consent page to a browser, with the approve link to the redirect URI', async () => {
    const res = await fetch(`${oauth.authorizeUrl}?${authorizeQuery({ state: '"><script>' })}`, { headers: { accept: 'text/html' } });
    const page = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(page).toMatch(/<a id="approve" href="http:\/\/localhost:1455\/auth\/callback\?code=[^"]+&#38;state=%22%3E%3Cscript%3E"/);
    expect(page).not.toContain('<script>');
  });

  it('exchanges a code once, for tokens the refresh grant then accepts without a secret (public client)', async () => {
    const code = await authorize();
    const exchange = { grant_type: 'authorization_code', code, client_id: 'pub', redirect_uri: 'http://localhost:1455/auth/callback', code_verifier: verifier };
    const res = await fetch(oauth.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(exchange) });
    const body = (await res.json()) as Record<string, any>;
    expect(res.status).toBe(200);
    const claims = JSON.parse(Buffer.from(String(body.id_token).split('.')[1]!, 'base64url').toString());
    expect(claims.email).toMatch(/@emu\.example$/);
    expect(claims['https://api.openai.com/auth'].chatgpt_account_id).toBe(body.account.uuid);
    expect(oauth.isValidAccessToken(body.access_token)).toBe(true);
    expect((await refresh({ grant_type: 'refresh_token', refresh_token: body.refresh_token, client_id: 'pub' })).status).toBe(200);
    const again = await fetch(oauth.url, { method: 'POST', body: new URLSearchParams(exchange) });
    expect(((await again.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('refuses a wrong verifier or redirect URI with invalid_grant', async () => {
    const wrongVerifier = await refresh({ grant_type: 'authorization_code', code: await authorize(), client_id: 'pub', redirect_uri: 'http://localhost:1455/auth/callback', code_verifier: 'w'.repeat(43) });
    expect(wrongVerifier).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const wrongRedirect = await refresh({ grant_type: 'authorization_code', code: await authorize(), client_id: 'pub', redirect_uri: 'http://evil.example/cb', code_verifier: verifier });
    expect(wrongRedirect).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
