import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthEmulator, startUpstreamEmulator, type OAuthEmulator, type UpstreamEmulator } from '@aigw/emulators';
import { CredentialCipher } from '@aigw/secrets';
import type { LoginClient, LoginClients } from '../src/admin/oauth/login-clients.js';
import { ADMIN_TOKEN } from './support/fake-deps.js';
import { startDbServer, type DbServer } from './support/db-server.js';

// The admin routes of OAuth onboarding over real Redis and MariaDB, against the OAuth and Cloud Code emulators.

let server: DbServer;
let oauth: OAuthEmulator;
let upstream: UpstreamEmulator;
let clockOffsetMs = 0;
const cipher = new CredentialCipher(Buffer.alloc(32, 1));
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const api = {
  get: (path: string) => request(server.app).get(`/api/v1${path}`).set(admin),
  post: (path: string, body?: object) => request(server.app).post(`/api/v1${path}`).set(admin).send(body),
};

function client(overrides: Partial<LoginClient>): LoginClient {
  return { clientId: 'c', authorizeUrl: oauth.authorizeUrl, tokenUrl: oauth.url, scopes: ['openid'], redirectUri: 'http://localhost:1/cb', tokenRequestFormat: 'form', ...overrides };
}

beforeAll(async () => {
  oauth = await startOAuthEmulator();
  upstream = await startUpstreamEmulator({ validateBearer: (token) => oauth.isValidAccessToken(token) });
  const clients: LoginClients = {
    antigravity: client({ clientId: 'emu-antigravity', clientSecret: 'emu-secret', scopes: ['https://www.googleapis.com/auth/cloud-platform'], redirectUri: 'http://localhost:51121/oauth-callback' }),
    anthropic: client({ clientId: 'emu-claude', scopes: ['user:inference'], redirectUri: 'https://console.anthropic.example/oauth/code/callback', tokenRequestFormat: 'json' }),
    openai: client({ clientId: 'emu-codex', redirectUri: 'http://localhost:1455/auth/callback' }),
    geminiCli: client({ clientId: 'emu-gemini-cli', clientSecret: 'emu-secret-2' }),
  };
  server = await startDbServer({}, { clients, loginTtlMs: 600_000, now: () => Date.now() + clockOffsetMs });
  await api.post('/providers', { name: 'ag', kind: 'antigravity', baseUrl: upstream.url }).expect(201);
  await api.post('/providers', { name: 'claude', kind: 'anthropic', baseUrl: upstream.url }).expect(201);
  await api.post('/providers', { name: 'codex', kind: 'openai', baseUrl: upstream.url }).expect(201);
});

afterAll(async () => {
  await server?.close();
  await upstream?.close();
  await oauth?.close();
});

/** Opens the authorization URL as a consenting browser would, and answers where the provider sent it back. */
async function consent(authorizationUrl: string): Promise<string> {
  const res = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location') ?? '';
}

async function credentialOf(accountId: number): Promise<Record<string, unknown>> {
  const row = await server.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  return cipher.decryptJson(row.authData) as Record<string, unknown>;
}

describe('antigravity login', () => {
  it('starts with a PKCE authorization URL, completes with the pasted redirect URL, onboards the Cloud Code project', async () => {
    const started = await api.post('/oauth/logins', { provider: 'ag', label: 'team-1' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ provider: 'ag', kind: 'antigravity', status: 'pending', redirectUri: 'http://localhost:51121/oauth-callback', accountId: null });
    const url = new URL(started.body.authorizationUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: 'emu-antigravity', response_type: 'code', code_challenge_method: 'S256', access_type: 'offline', prompt: 'consent' });
    expect(JSON.stringify(started.body)).not.toMatch(/verifier/i);

    const redirect = await consent(started.body.authorizationUrl);
    const done = await api.post(`/oauth/logins/${started.body.id}/complete`, { redirectUrl: redirect });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', accountCreated: true, account: { provider: 'ag', label: 'team-1', authType: 'oauth', isActive: true } });
    expect(done.body.account.settings).toEqual({ email: expect.stringMatching(/@emu\.example$/), project: expect.stringMatching(/^emu-project-/) });
    expect(JSON.stringify(done.body)).not.toMatch(/emu-secret|1\/\/emu-|ya29/);
    const credential = await credentialOf(done.body.accountId);
    expect(credential).toMatchObject({ clientId: 'emu-antigravity', clientSecret: 'emu-secret', tokenUrl: oauth.url, refreshToken: expect.stringMatching(/^1\/\/emu-/) });
    expect(server.notified).toContainEqual({ entity: 'account', id: done.body.accountId });
    // Cloud Code was asked as Gemini CLI asks: loadCodeAssist, then onboardUser until done.
    expect(upstream.requests().map((r) => r.path)).toEqual(expect.arrayContaining(['/v1internal:loadCodeAssist', '/v1internal:onboardUser']));

    // The stored refresh token is one the token endpoint honours (what auth will do).
    const refresh = await fetch(oauth.url, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(credential.refreshToken), client_id: 'emu-antigravity', client_secret: 'emu-secret' }) });
    expect(refresh.status).toBe(200);

    expect((await api.get(`/oauth/logins/${started.body.id}`)).body).toMatchObject({ status: 'completed', accountId: done.body.accountId, error: null });
    const again = await api.post(`/oauth/logins/${started.body.id}/complete`, { redirectUrl: redirect });
    expect(again.status).toBe(409);
  });

  it('refuses a redirect with another state and leaves the login pending', async () => {
    const started = await api.post('/oauth/logins', { provider: 'ag' });
    const redirect = new URL(await consent(started.body.authorizationUrl));
    redirect.searchParams.set('state', 'not-this-login');
    const res = await api.post(`/oauth/logins/${started.body.id}/complete`, { redirectUrl: redirect.toString() });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ param: 'state', message: expect.stringContaining('state does not match') });
    expect((await api.get(`/oauth/logins/${started.body.id}`)).body.status).toBe('pending');
  });

  it('refuses an expired login, and a code the token endpoint refuses ends the login as failed', async () => {
    const late = await api.post('/oauth/logins', { provider: 'ag' });
    clockOffsetMs = 11 * 60_000;
    try {
      expect((await api.get(`/oauth/logins/${late.body.id}`)).body.status).toBe('expired');
      const res = await api.post(`/oauth/logins/${late.body.id}/complete`, { redirectUrl: await consent(late.body.authorizationUrl) });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/expired/);
    } finally {
      clockOffsetMs = 0;
    }

    const started = await api.post('/oauth/logins', { provider: 'ag' });
    const bogus = await api.post(`/oauth/logins/${started.body.id}/complete`, { code: '4/never-issued' });
    expect(bogus.status).toBe(400);
    expect(bogus.body.error.message).toMatch(/refused the authorization code \(invalid_grant\)/);
    expect((await api.get(`/oauth/logins/${started.body.id}`)).body).toMatchObject({ status: 'failed', error: expect.stringContaining('invalid_grant') });
    expect((await api.get('/oauth/logins/no-such-login')).status).toBe(404);
  });

  it('refuses a login whose kind does not fit the provider', async () => {
    const res = await api.post('/oauth/logins', { provider: 'ag', kind: 'openai' });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('kind');
  });
});

describe('the gateway as redirect URI', () => {
  it('completes the login on GET /oauth/callback without the admin token and answers a small HTML page', async () => {
    const started = await api.post('/oauth/logins', { provider: 'ag', label: 'via <callback>', redirectUri: 'https://gw.example/api/v1/oauth/callback' });
    const back = new URL(await consent(started.body.authorizationUrl));
    expect(back.origin + back.pathname).toBe('https://gw.example/api/v1/oauth/callback');
    const page = await request(server.app).get(`/api/v1/oauth/callback${back.search}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Account added');
    expect(page.text).toContain('via &#60;callback&#62;');
    expect(page.text).not.toContain('<callback>');
    expect((await api.get(`/oauth/logins/${started.body.id}`)).body.status).toBe('completed');

    const replay = await request(server.app).get(`/api/v1/oauth/callback${back.search}`);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('No pending login has this state');
    const denied = await request(server.app).get('/api/v1/oauth/callback?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=x');
    expect(denied.status).toBe(400);
    expect(denied.text).not.toContain('<script>');
  });
});

describe('anthropic and openai logins', () => {
  it("takes Claude Code's code#state and stores a public client refreshed by JSON", async () => {
    const started = await api.post('/oauth/logins', { provider: 'claude' });
    expect(started.body.kind).toBe('anthropic');
    const url = new URL(started.body.authorizationUrl);
    expect(url.searchParams.get('code')).toBe('true');
    const back = new URL(await consent(started.body.authorizationUrl));
    const done = await api.post(`/oauth/logins/${started.body.id}/complete`, { code: `${back.searchParams.get('code')}#${back.searchParams.get('state')}` });
    expect(done.status).toBe(200);
    const credential = await credentialOf(done.body.accountId);
    expect(credential).toMatchObject({ clientId: 'emu-claude', tokenRequestFormat: 'json' });
    expect(credential).not.toHaveProperty('clientSecret');
    expect(done.body.account.settings.email).toMatch(/@emu\.example$/);
  });

  it("keeps the ChatGPT account id from Codex's id_token", async () => {
    const started = await api.post('/oauth/logins', { provider: 'codex', kind: 'openai' });
    const url = new URL(started.body.authorizationUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ codex_cli_simplified_flow: 'true', id_token_add_organizations: 'true', redirect_uri: 'http://localhost:1455/auth/callback' });
    const done = await api.post(`/oauth/logins/${started.body.id}/complete`, { redirectUrl: await consent(started.body.authorizationUrl) });
    expect(done.status).toBe(200);
    expect(done.body.account.settings).toEqual({ email: expect.any(String), chatgptAccountId: expect.stringMatching(/^acct-emu-/) });
  });
});

describe('POST /accounts/import', () => {
  const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

  it('imports each format, skips what is already there and fails broken or misfit files, one result per file', async () => {
    const geminiCli = { access_token: 'ya29.stale', refresh_token: 'rt-import-gemini-cli', token_type: 'Bearer', scope: 's', id_token: jwt({ email: 'cli@x.example' }), expiry_date: Date.now() - 1000 };
    const cliProxyAntigravity = { type: 'antigravity', access_token: 'a', refresh_token: 'rt-import-ag', expires_in: 3599, timestamp: Date.now(), email: 'ag@x.example', project_id: 'p-given' };
    const res = await api.post('/accounts/import', {
      provider: 'ag',
      files: [
        { name: 'oauth_creds.json', content: JSON.stringify(geminiCli) },
        { name: 'antigravity-ag@x.example.json', content: JSON.stringify(cliProxyAntigravity) },
        { name: 'again.json', content: JSON.stringify(cliProxyAntigravity) },
        { name: 'broken.json', content: '{"refresh_token": ' },
        { name: '.credentials.json', content: JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat', refreshToken: 'sk-ant-ort-SECRET', expiresAt: Date.now() + 3_600_000 } }) },
      ],
    });
    expect(res.status).toBe(200);
    const [cli, ag, again, broken, claude] = res.body.results;
    // The Gemini CLI file had no project: refreshed with the Gemini CLI client, then onboarded.
    expect(cli).toMatchObject({ name: 'oauth_creds.json', status: 'imported', format: 'gemini-cli', label: 'cli@x.example', message: null });
    const cliAccount = (await api.get(`/accounts/${cli.accountId}`)).body;
    expect(cliAccount.settings).toMatchObject({ email: 'cli@x.example', project: expect.stringMatching(/^emu-project-/) });
    expect(await credentialOf(cli.accountId)).toMatchObject({ clientId: 'emu-gemini-cli', clientSecret: 'emu-secret-2', refreshToken: expect.stringMatching(/^1\/\/emu-/) });
    expect(ag).toMatchObject({ status: 'imported', format: 'cliproxyapi-antigravity', label: 'ag@x.example' });
    expect((await api.get(`/accounts/${ag.accountId}`)).body.settings).toEqual({ email: 'ag@x.example', project: 'p-given' });
    expect(await credentialOf(ag.accountId)).toMatchObject({ clientId: 'emu-antigravity', refreshToken: 'rt-import-ag' });
    expect(again).toMatchObject({ status: 'skipped', accountId: ag.accountId });
    expect(broken).toMatchObject({ status: 'failed', format: null, message: 'the file is not JSON', accountId: null });
    expect(claude).toMatchObject({ status: 'failed', format: 'claude-code', message: expect.stringContaining('provider ag is of kind antigravity') });
    expect(JSON.stringify(res.body)).not.toContain('SECRET');
  });

  it('imports Claude Code, Codex and CLIProxyAPI claude/codex files into providers of their kinds', async () => {
    const claude = await api.post('/accounts/import', {
      provider: 'claude',
      files: [
        { name: '.credentials.json', content: JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat-1', refreshToken: 'sk-ant-ort-1', expiresAt: Date.now() + 3_600_000 } }) },
        { name: 'claude-c@x.json', content: JSON.stringify({ type: 'claude', access_token: 'a', refresh_token: 'sk-ant-ort-2', email: 'c@x.example' }) },
      ],
    });
    expect(claude.body.results.map((r: { status: string; format: string }) => [r.status, r.format])).toEqual([
      ['imported', 'claude-code'],
      ['imported', 'cliproxyapi-claude'],
    ]);
    expect(await credentialOf(claude.body.results[0].accountId)).toMatchObject({ clientId: 'emu-claude', tokenRequestFormat: 'json', accessToken: 'sk-ant-oat-1' });

    const codex = await api.post('/accounts/import', {
      provider: 'codex',
      files: [
        { name: 'auth.json', content: JSON.stringify({ tokens: { id_token: jwt({ email: 'o@x.example', 'https://api.openai.com/auth': { chatgpt_account_id: 'acc-1' } }), access_token: 'a', refresh_token: 'rt-codex-1', account_id: 'acc-1' } }) },
        { name: 'codex-p@x.json', content: JSON.stringify({ type: 'codex', id_token: jwt({ email: 'p@x.example' }), access_token: 'a', refresh_token: 'rt-codex-2', account_id: 'acc-2' }) },
      ],
    });
    expect(codex.body.results.map((r: { status: string; format: string; label: string }) => [r.status, r.format, r.label])).toEqual([
      ['imported', 'codex', 'o@x.example'],
      ['imported', 'cliproxyapi-codex', 'p@x.example'],
    ]);
    expect((await api.get(`/accounts/${codex.body.results[0].accountId}`)).body.settings).toEqual({ email: 'o@x.example', chatgptAccountId: 'acc-1' });
  });

  it('validates the request itself', async () => {
    expect((await api.post('/accounts/import', { provider: 'ag', files: [] })).status).toBe(400);
    expect((await api.post('/accounts/import', { provider: 'nope', files: [{ name: 'a', content: '{}' }] })).status).toBe(400);
  });
});
