import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthEmulator, type OAuthEmulator } from '../oauth/oauth-emulator.js';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';

// Subscription accounts as the real upstreams take them: a Claude OAuth token on the Messages API only with the
// OAuth beta, and a ChatGPT token on the Codex backend only with the account header, streamed and unstored.

let oauth: OAuthEmulator;
let emu: UpstreamEmulator;
let token: string;

beforeAll(async () => {
  oauth = await startOAuthEmulator({});
  emu = await startUpstreamEmulator({ validateBearer: (t) => oauth.isValidAccessToken(t) });
  // A token from the authorization code grant, as a login gets it.
  const authorize = new URL(oauth.authorizeUrl);
  const verifier = 'v'.repeat(43);
  authorize.search = new URLSearchParams({
    client_id: 'emu-claude-code',
    response_type: 'code',
    redirect_uri: 'http://localhost:1455/auth/callback',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 's',
    scope: 'user:inference',
  }).toString();
  const consent = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const tokens = await fetch(oauth.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:1455/auth/callback', client_id: 'emu-claude-code', code_verifier: verifier }).toString(),
  });
  token = ((await tokens.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await emu?.close();
  await oauth?.close();
});

const messages = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };

function anthropic(headers: Record<string, string>): Promise<Response> {
  return fetch(`${emu.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(messages),
  });
}

describe('Anthropic with an OAuth token', () => {
  it('refuses the bearer without the OAuth beta as Anthropic does', async () => {
    const res = await anthropic({ authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'OAuth authentication is currently not supported.' } });
  });

  it('serves the bearer with the beta among others, and refuses a token it never issued', async () => {
    const res = await anthropic({ authorization: `Bearer ${token}`, 'anthropic-beta': 'claude-code-20250219, oauth-2025-04-20' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { type: string }).type).toBe('message');
    expect((await anthropic({ authorization: 'Bearer sk-ant-oat01-forged', 'anthropic-beta': 'oauth-2025-04-20' })).status).toBe(401);
  });

  it('still takes an API key in x-api-key', async () => {
    expect((await anthropic({ 'x-api-key': 'sk-ant-api03-any' })).status).toBe(200);
  });
});

describe('the Codex backend', () => {
  const body = { model: 'gpt-5-codex', instructions: '', input: 'hi', stream: true, store: false };

  function codex(fields: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${emu.url}/backend-api/codex/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'chatgpt-account-id': 'acc-1', ...headers },
      body: JSON.stringify(fields),
    });
  }

  it('streams Responses events to a ChatGPT token with its account id', async () => {
    const res = await codex(body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toMatch(/^event: response\.created\n/);
    expect(text).toContain('event: response.completed');
  });

  it('refuses what Codex never sends, with the backend’s {detail} bodies', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...body, stream: false }, 'Stream must be set to true'],
      [{ ...body, store: true }, 'Store must be set to false'],
      [{ model: 'gpt-5-codex', input: 'hi', stream: true, store: false }, 'Instructions are required'],
      [{ ...body, safety_identifier: 'u-1' }, 'Unsupported parameter: safety_identifier'],
    ];
    for (const [fields, message] of cases) {
      const res = await codex(fields);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ detail: message });
    }
  });

  it('refuses a missing account id, a missing or unknown bearer', async () => {
    const noAccount = await codex(body, { 'chatgpt-account-id': '' });
    expect(noAccount.status).toBe(401);
    expect(((await noAccount.json()) as { detail: string }).detail).toMatch(/chatgpt-account-id/);
    expect((await codex(body, { authorization: '' })).status).toBe(401);
    expect((await codex(body, { authorization: 'Bearer never-issued' })).status).toBe(401);
  });
});
