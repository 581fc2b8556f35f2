import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthEmulator, type OAuthEmulator } from '@aigw/emulators';
import { requestRefreshGrant } from '../src/oauth/token-endpoint.js';

// Accounts onboarded by a Claude Code or Codex login hold a public client (no secret); Anthropic's token
// endpoint takes the refresh grant as JSON. Both refresh against the OAuth emulator like Google's form grant.

let oauth: OAuthEmulator;
beforeAll(async () => {
  oauth = await startOAuthEmulator();
});
afterAll(() => oauth?.close());

/** A refresh token issued to `clientId` by a PKCE login without a client secret. */
async function publicLogin(clientId: string): Promise<string> {
  const verifier = 'x'.repeat(43);
  const query = new URLSearchParams({ client_id: clientId, redirect_uri: 'http://localhost/cb', response_type: 'code', state: 's', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
  const location = new URL((await fetch(`${oauth.authorizeUrl}?${query}`, { redirect: 'manual' })).headers.get('location') ?? '');
  const res = await fetch(oauth.url, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code') ?? '', client_id: clientId, redirect_uri: 'http://localhost/cb', code_verifier: verifier }),
  });
  return ((await res.json()) as { refresh_token: string }).refresh_token;
}

describe('refreshing a public client', () => {
  it('sends no client_secret, as a form or as JSON, and gets the rotated token back', async () => {
    for (const tokenRequestFormat of ['form', 'json'] as const) {
      const refreshToken = await publicLogin(`pub-${tokenRequestFormat}`);
      const grant = await requestRefreshGrant(1, { clientId: `pub-${tokenRequestFormat}`, refreshToken, tokenUrl: oauth.url, tokenRequestFormat }, 5_000);
      expect(oauth.isValidAccessToken(grant.accessToken)).toBe(true);
      expect(grant.refreshToken).toMatch(/^1\/\/emu-/);
      expect(grant.refreshToken).not.toBe(refreshToken);
    }
    expect(oauth.refreshCountFor('pub-json')).toBe(1);
  });

  it('still needs the secret for a token issued to a confidential client', async () => {
    await expect(requestRefreshGrant(2, { clientId: 'confidential', refreshToken: 'rt-unknown', tokenUrl: oauth.url }, 5_000)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
