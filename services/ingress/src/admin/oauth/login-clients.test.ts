import { describe, expect, it } from 'vitest';
import { authorizationUrl, DEFAULT_LOGIN_CLIENTS, parseLoginClients } from './login-clients.js';

const login = { state: 'st', challenge: 'ch', redirectUri: 'http://localhost:1455/auth/callback' };

describe('login clients', () => {
  it('defaults to the real tools’ public clients and replaces a kind whole from OAUTH_LOGIN_CLIENTS', () => {
    expect(parseLoginClients('')).toBe(DEFAULT_LOGIN_CLIENTS);
    const own = { clientId: 'mine', authorizeUrl: 'https://idp.example/auth', tokenUrl: 'https://idp.example/token', scopes: ['a'], redirectUri: 'https://gw.example/api/v1/oauth/callback' };
    const clients = parseLoginClients(JSON.stringify({ openai: own }));
    expect(clients.openai).toEqual({ ...own, tokenRequestFormat: 'form' });
    expect(clients.anthropic).toBe(DEFAULT_LOGIN_CLIENTS.anthropic);
  });

  it('names what is wrong in OAUTH_LOGIN_CLIENTS', () => {
    expect(() => parseLoginClients('{')).toThrow('OAUTH_LOGIN_CLIENTS is not valid JSON');
    expect(() => parseLoginClients('{"openai":{"clientId":"x"}}')).toThrow(/^OAUTH_LOGIN_CLIENTS\.openai\.authorizeUrl/);
    expect(() => parseLoginClients('{"mistral":{}}')).toThrow(/OAUTH_LOGIN_CLIENTS/);
  });

  it('builds each kind’s authorization URL with PKCE S256 and the real clients’ extra parameters', () => {
    const google = new URL(authorizationUrl('antigravity', DEFAULT_LOGIN_CLIENTS.antigravity, login));
    expect(Object.fromEntries(google.searchParams)).toMatchObject({ response_type: 'code', code_challenge: 'ch', code_challenge_method: 'S256', state: 'st', access_type: 'offline', prompt: 'consent' });
    expect(google.searchParams.get('scope')).toContain('https://www.googleapis.com/auth/cloud-platform');
    const claude = new URL(authorizationUrl('anthropic', DEFAULT_LOGIN_CLIENTS.anthropic, login));
    expect([...claude.searchParams.keys()][0]).toBe('code');
    expect(claude.searchParams.get('scope')).toBe('org:create_api_key user:profile user:inference');
    const codex = new URL(authorizationUrl('openai', DEFAULT_LOGIN_CLIENTS.openai, login));
    expect(Object.fromEntries(codex.searchParams)).toMatchObject({ id_token_add_organizations: 'true', codex_cli_simplified_flow: 'true', redirect_uri: login.redirectUri });
  });
});
