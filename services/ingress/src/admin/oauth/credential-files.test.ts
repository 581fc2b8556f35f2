import { describe, expect, it } from 'vitest';
import { detectCredentialFile } from './credential-files.js';

const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

describe('detectCredentialFile', () => {
  it("reads Gemini CLI's oauth_creds.json, the email from its id_token", () => {
    const file = { access_token: 'ya29.a', refresh_token: '1//r', scope: 's', token_type: 'Bearer', id_token: jwt({ email: 'g@x.example' }), expiry_date: 1_800_000_000_000 };
    expect(detectCredentialFile(JSON.stringify(file))).toEqual({
      ok: true,
      credential: expect.objectContaining({ format: 'gemini-cli', kind: 'antigravity', client: 'geminiCli', refreshToken: '1//r', accessToken: 'ya29.a', expiresAt: 1_800_000_000_000, email: 'g@x.example', project: undefined }),
    });
  });

  it('reads each CLIProxyAPI type with its own field names', () => {
    const gemini = { type: 'gemini', email: 'a@x', project_id: 'p-1', token: { access_token: 'a', refresh_token: 'r1', expiry: '2030-01-01T00:00:00Z', client_id: 'cid', client_secret: 'cs', token_uri: 'https://oauth2.googleapis.com/token' } };
    expect(detectCredentialFile(JSON.stringify(gemini))).toMatchObject({
      ok: true,
      credential: { format: 'cliproxyapi-gemini', kind: 'antigravity', refreshToken: 'r1', project: 'p-1', email: 'a@x', clientId: 'cid', clientSecret: 'cs', expiresAt: Date.parse('2030-01-01T00:00:00Z') },
    });
    const antigravity = { type: 'antigravity', access_token: 'a', refresh_token: 'r2', expires_in: 3599, timestamp: 1_700_000_000_000, email: 'b@x', project_id: 'p-2' };
    expect(detectCredentialFile(JSON.stringify(antigravity))).toMatchObject({
      ok: true,
      credential: { format: 'cliproxyapi-antigravity', client: 'antigravity', refreshToken: 'r2', project: 'p-2', expiresAt: 1_700_000_000_000 + 3_599_000 },
    });
    const claude = { type: 'claude', access_token: 'sk-ant-oat', refresh_token: 'sk-ant-ort', email: 'c@x', expired: '2030-01-01T00:00:00Z' };
    expect(detectCredentialFile(JSON.stringify(claude))).toMatchObject({ ok: true, credential: { format: 'cliproxyapi-claude', kind: 'anthropic', email: 'c@x' } });
    const codex = { type: 'codex', id_token: jwt({ email: 'd@x' }), access_token: 'a', refresh_token: 'r4', account_id: 'acc-9' };
    expect(detectCredentialFile(JSON.stringify(codex))).toMatchObject({ ok: true, credential: { format: 'cliproxyapi-codex', kind: 'openai', chatgptAccountId: 'acc-9', email: 'd@x' } });
  });

  it("reads Claude Code's .credentials.json and Codex's auth.json", () => {
    const claude = { claudeAiOauth: { accessToken: 'sk-ant-oat01', refreshToken: 'sk-ant-ort01', expiresAt: 1_900_000_000_000, scopes: ['user:inference'], subscriptionType: 'max' } };
    expect(detectCredentialFile(JSON.stringify(claude))).toMatchObject({ ok: true, credential: { format: 'claude-code', kind: 'anthropic', client: 'anthropic', refreshToken: 'sk-ant-ort01', expiresAt: 1_900_000_000_000 } });
    const codex = { OPENAI_API_KEY: null, tokens: { id_token: jwt({ email: 'e@x', 'https://api.openai.com/auth': { chatgpt_account_id: 'acc-1' } }), access_token: 'a', refresh_token: 'r5' }, last_refresh: '2026-01-01T00:00:00Z' };
    expect(detectCredentialFile(JSON.stringify(codex))).toMatchObject({ ok: true, credential: { format: 'codex', kind: 'openai', chatgptAccountId: 'acc-1', email: 'e@x', refreshToken: 'r5' } });
  });

  it('fails broken and unknown files with a message that quotes no value', () => {
    expect(detectCredentialFile('{not json')).toEqual({ ok: false, format: null, message: 'the file is not JSON' });
    expect(detectCredentialFile('{"claudeAiOauth":{"accessToken":"sk-ant-SECRET"}}')).toEqual({ ok: false, format: 'claude-code', message: 'the file holds no refresh token' });
    expect(detectCredentialFile('{"type":"qwen","refresh_token":"r"}')).toMatchObject({ ok: false, message: expect.stringContaining('type "qwen"') });
    const unknown = detectCredentialFile('{"apiKey":"sk-SECRET"}');
    expect(unknown).toMatchObject({ ok: false, message: expect.stringContaining('not a known credential file') });
    expect(JSON.stringify(unknown)).not.toContain('SECRET');
    expect(detectCredentialFile('[1,2]')).toMatchObject({ ok: false });
  });
});
