import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, chat, ok, openaiBody } from './support/http.js';

// Issue 15: an operator adds OAuth accounts by logging in (authorization code + PKCE against the OAuth emulator,
// Cloud Code project onboarding against the upstream emulator) or by importing the files other tools wrote, and
// the new account serves client requests.

const LOGIN_TTL_S = 20;
let ctx: E2eContext;

type Json = Record<string, any>;

async function adminJson(method: string, path: string, body?: unknown): Promise<Json> {
  return ok(await admin(ctx.stack, method, path, body), `${method} ${path}`).json as Json;
}

/** What a browser does with the consent page: open it, follow the approve link; answers the URL it lands on. */
async function approveInBrowser(authorizationUrl: string): Promise<string> {
  const consent = await fetch(authorizationUrl, { headers: { accept: 'text/html' }, redirect: 'manual' });
  expect(consent.status).toBe(200);
  const href = /<a id="approve" href="([^"]+)"/.exec(await consent.text())?.[1];
  expect(href).toBeDefined();
  return (href ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** The account that served a client request, from its request log. */
async function servedBy(requestId: string): Promise<number | null> {
  const row = await eventually(() => ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId } }));
  return row.accountId;
}

describe('OAuth onboarding (logins and imports, against the emulators)', () => {
  beforeAll(async () => {
    ctx = await startE2eStack('oauth', { replicas: { ingress: 2 }, env: { ingress: { OAUTH_LOGIN_TTL_S: String(LOGIN_TTL_S) } } });
    const upstream = ctx.stack.emulators.upstream.url;
    await adminJson('POST', '/providers', { name: 'ag-login', kind: 'antigravity', baseUrl: upstream });
    await adminJson('POST', '/routes', { pattern: 'onboarded-*', provider: 'ag-login', upstreamModel: 'gemini-2.5-pro' });
    await adminJson('POST', '/providers', { name: 'claude-oauth', kind: 'anthropic', baseUrl: upstream });
    await adminJson('POST', '/providers', { name: 'codex-oauth', kind: 'openai', baseUrl: upstream });
  });

  afterAll(async () => {
    await ctx?.teardown();
  });

  it('logs an antigravity account in with the pasted redirect URL on another replica, and the new account serves a request', async () => {
    const login = await adminJson('POST', '/oauth/logins', { provider: 'ag-login', kind: 'antigravity', label: 'logged-in', egress: 'direct' });
    expect(login).toMatchObject({ status: 'pending', kind: 'antigravity', redirectUri: 'http://localhost:51121/oauth-callback' });
    // The browser lands on localhost:51121, where nothing listens: the operator copies the address bar.
    const landed = await approveInBrowser(login.authorizationUrl);
    expect(landed.startsWith('http://localhost:51121/oauth-callback?')).toBe(true);
    // Started on the first ingress replica, completed on the second: the login lives in Redis.
    const onSecond = await fetch(`${ctx.stack.ingressUrls[1]}/api/v1/oauth/logins/${login.id}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ redirectUrl: landed }),
    });
    expect(onSecond.status).toBe(200);
    const done = (await onSecond.json()) as Json;
    expect(done).toMatchObject({ status: 'completed', account: { provider: 'ag-login', label: 'logged-in', isActive: true, egress: 'direct' } });
    expect(done.account.settings.project).toMatch(/^emu-project-/);
    const row = await ctx.prisma.account.findUniqueOrThrow({ where: { id: done.accountId } });
    expect(row.authData).not.toContain('1//emu-');

    // The provider's only account: the request is served by it, with the token auth refreshes from the stored one.
    const answer = await eventually(async () => {
      const response = await chat(ctx.stack, openaiBody('onboarded-test', 'hello'));
      expect(response.status, response.text).toBe(200);
      return response;
    });
    expect(await servedBy(answer.requestId)).toBe(done.accountId);
    expect((await adminJson('GET', `/oauth/logins/${login.id}`)).status).toBe('completed');
  });

  it('completes a login on the gateway callback (public, no token) and shows a small HTML page', async () => {
    const login = await adminJson('POST', '/oauth/logins', { provider: 'ag-login', redirectUri: `${ctx.stack.ingressUrl}/api/v1/oauth/callback` });
    const consent = await fetch(login.authorizationUrl, { redirect: 'manual' });
    const callback = consent.headers.get('location') ?? '';
    expect(callback.startsWith(`${ctx.stack.ingressUrl}/api/v1/oauth/callback?`)).toBe(true);
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('Account added');
    const finished = await adminJson('GET', `/oauth/logins/${login.id}`);
    expect(finished).toMatchObject({ status: 'completed', accountId: expect.any(Number) });
  });

  it('refuses another login’s state and an expired login', async () => {
    const login = await adminJson('POST', '/oauth/logins', { provider: 'ag-login' });
    const landed = new URL(await approveInBrowser(login.authorizationUrl));
    landed.searchParams.set('state', 'forged');
    const forged = await admin(ctx.stack, 'POST', `/oauth/logins/${login.id}/complete`, { redirectUrl: landed.toString() });
    expect(forged.status).toBe(400);
    expect((forged.json as Json).error).toMatchObject({ param: 'state' });

    await sleep(Date.parse(login.expiresAt) - Date.now() + 200);
    expect((await adminJson('GET', `/oauth/logins/${login.id}`)).status).toBe('expired');
    const late = await admin(ctx.stack, 'POST', `/oauth/logins/${login.id}/complete`, { redirectUrl: await approveInBrowser(login.authorizationUrl) });
    expect(late.status).toBe(400);
    expect((late.json as Json).error.message).toMatch(/expired/);
  }, 60_000);

  it('imports the credential files of Gemini CLI, CLIProxyAPI, Claude Code and Codex', async () => {
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    const google = await adminJson('POST', '/accounts/import', {
      provider: 'ag-login',
      files: [
        { name: 'oauth_creds.json', content: JSON.stringify({ access_token: 'ya29.old', refresh_token: '1//e2e-gemini-cli', token_type: 'Bearer', scope: 's', id_token: jwt({ email: 'cli@e2e.example' }), expiry_date: Date.now() - 1 }) },
        { name: 'gemini-g@e2e.json', content: JSON.stringify({ type: 'gemini', email: 'g@e2e.example', project_id: 'p-g', token: { access_token: 'a', refresh_token: '1//e2e-cpa-gemini', expiry: new Date().toISOString() } }) },
        { name: 'antigravity-a@e2e.json', content: JSON.stringify({ type: 'antigravity', access_token: 'a', refresh_token: '1//e2e-cpa-ag', expires_in: 3599, timestamp: Date.now(), email: 'a@e2e.example', project_id: 'p-a' }) },
        { name: 'antigravity-a@e2e (copy).json', content: JSON.stringify({ type: 'antigravity', refresh_token: '1//e2e-cpa-ag', email: 'a@e2e.example' }) },
        { name: 'notes.txt', content: 'not a credential' },
      ],
    });
    expect(google.results.map((r: Json) => [r.status, r.format])).toEqual([
      ['imported', 'gemini-cli'],
      ['imported', 'cliproxyapi-gemini'],
      ['imported', 'cliproxyapi-antigravity'],
      ['skipped', 'cliproxyapi-antigravity'],
      ['failed', null],
    ]);
    const cli = await adminJson('GET', `/accounts/${google.results[0].accountId}`);
    expect(cli.settings).toMatchObject({ email: 'cli@e2e.example', project: expect.stringMatching(/^emu-project-/) });

    const claude = await adminJson('POST', '/accounts/import', {
      provider: 'claude-oauth',
      files: [
        { name: '.credentials.json', content: JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-e2e', refreshToken: 'sk-ant-ort01-e2e', expiresAt: Date.now() + 3_600_000, scopes: ['user:inference'] } }) },
        { name: 'claude-c@e2e.json', content: JSON.stringify({ type: 'claude', access_token: 'a', refresh_token: 'sk-ant-ort01-e2e-2', email: 'c@e2e.example' }) },
        { name: 'auth.json', content: JSON.stringify({ tokens: { id_token: jwt({ email: 'x@e2e.example' }), access_token: 'a', refresh_token: 'r' } }) },
      ],
    });
    expect(claude.results.map((r: Json) => [r.status, r.format])).toEqual([
      ['imported', 'claude-code'],
      ['imported', 'cliproxyapi-claude'],
      ['failed', 'codex'],
    ]);

    const codex = await adminJson('POST', '/accounts/import', {
      provider: 'codex-oauth',
      files: [
        { name: 'auth.json', content: JSON.stringify({ tokens: { id_token: jwt({ email: 'o@e2e.example', 'https://api.openai.com/auth': { chatgpt_account_id: 'acc-e2e' } }), access_token: 'a', refresh_token: 'rt-e2e-codex', account_id: 'acc-e2e' } }) },
        { name: 'codex-p@e2e.json', content: JSON.stringify({ type: 'codex', id_token: jwt({ email: 'p@e2e.example' }), access_token: 'a', refresh_token: 'rt-e2e-codex-2', account_id: 'acc-e2e-2' }) },
      ],
    });
    expect(codex.results.map((r: Json) => [r.status, r.format, r.label])).toEqual([
      ['imported', 'codex', 'o@e2e.example'],
      ['imported', 'cliproxyapi-codex', 'p@e2e.example'],
    ]);
  });

  it('writes no token, code or verifier into any service log', async () => {
    const rows = await ctx.prisma.account.findMany({ where: { authType: 'oauth', provider: { name: { in: ['ag-login', 'claude-oauth', 'codex-oauth'] } } } });
    const secrets = rows.flatMap((row) => {
      const data = ctx.cipher.decryptJson(row.authData) as { refreshToken: string; accessToken?: string; clientSecret?: string };
      // Files in this test carry placeholder access tokens such as 'a': only real-length values can be told from log text.
      return [data.refreshToken, data.accessToken, data.clientSecret].filter((value): value is string => typeof value === 'string' && value.length >= 8);
    });
    expect(secrets.length).toBeGreaterThan(10);
    const logs = ctx.stack.logs().join('\n');
    for (const secret of [...secrets, '1//e2e-gemini-cli', 'sk-ant-ort01-e2e']) expect(logs.includes(secret), 'a secret in the logs').toBe(false);
    expect(logs).not.toMatch(/code_verifier|4\/emu-/);
  });
});
