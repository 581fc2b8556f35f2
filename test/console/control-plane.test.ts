/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from '../e2e/support/e2e-stack.js';
import { eventually } from '../e2e/support/eventually.js';
import { admin, ok, openaiBody, post, type HttpResult } from '../e2e/support/http.js';
import { logIn, openBrowser, screenshot, type ConsoleBrowser } from './support/browser.js';

// Issue 15, "Done when": the operator's control plane walked in the console against a real stack and the
// emulators — an antigravity account added by logging in (the authorization URL opened in a second tab of the
// browser, approved, the URL it ends on pasted back) then serving a request; a Gemini CLI credential file
// imported; a key with a small budget spent until the client is refused in OpenAI's shape, its spend on the key's
// page and its cost on the overview; an account cooling down after an upstream quota 429, with the reason and the
// reset time. Any console error or page error in the console's tab fails the walk.

// The priced route's price (USD per million tokens): a request of a few dozen tokens costs about a cent.
const PRICE = { inputPerMTok: 200, outputPerMTok: 400 };
const BUDGET_USD = 0.03;

let ctx: E2eContext;
let browser: ConsoleBrowser;
let ui: string;
let files: string;
const run = Date.now().toString(36);
const names = {
  provider: `ag-console-${run}`,
  loginModel: `cplane-ag-${run}-a`,
  loginLabel: `logged-in-${run}`,
  importEmail: `cli-${run}@console.example`,
  pricedModel: `cplane-priced-${run}`,
  key: `budget-${run}`,
  coolingModel: `gemini-cplane-quota-${run}`,
};

type Json = Record<string, any>;

async function adminJson(method: string, path: string, body?: unknown): Promise<Json> {
  return ok(await admin(ctx.stack, method, path, body), `${method} ${path}`).json as Json;
}

beforeAll(async () => {
  ctx = await startE2eStack('cplane');
  const upstream = ctx.stack.emulators.upstream.url;
  // An antigravity provider without accounts: whatever serves its route is the account the walk adds.
  await adminJson('POST', '/providers', { name: names.provider, kind: 'antigravity', baseUrl: upstream });
  await adminJson('POST', '/routes', { pattern: `cplane-ag-${run}-*`, provider: names.provider, upstreamModel: 'gemini-2.5-pro' });
  browser = await openBrowser();
  ui = `${ctx.stack.ingressUrl}/ui`;
  files = mkdtempSync(join(tmpdir(), 'aigw-console-import-'));
  await logIn(browser.page, ui, ctx.stack.adminToken);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.teardown();
  if (files) rmSync(files, { recursive: true, force: true });
});

const page = () => browser.page;
const byTestId = (id: string) => page().getByTestId(id);
const noProblems = () => expect(browser.problems).toEqual([]);

/** Searches the logs page for a request id until its row is there (it arrives through NATS and the logging service). */
async function findLogRow(requestId: string) {
  await byTestId('nav-request').click();
  await byTestId('logs-search').fill(requestId);
  const row = byTestId(`log-row-${requestId}`);
  await eventually(
    async () => {
      await byTestId('logs-apply').click();
      await row.waitFor({ timeout: 1_000 });
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  return row;
}

describe('the control plane in the console, walked as an operator', () => {
  it('adds an antigravity account by logging in (a second tab approves), and the account serves a request', async () => {
    await byTestId('nav-accounts').click();
    await byTestId('oauth-login').click();
    await byTestId('oauth-provider').selectOption({ label: `${names.provider} (antigravity)` });
    expect(await byTestId('oauth-kind').inputValue()).toBe('Google (antigravity)');
    await byTestId('oauth-label').fill(names.loginLabel);
    // The demo's proxies are full: the new account goes out directly.
    await byTestId('oauth-egress').selectOption('direct');
    await byTestId('oauth-start').click();

    const link = byTestId('oauth-authorization-url');
    await link.waitFor();
    const authorizationUrl = (await link.getAttribute('href')) ?? '';
    expect(new URL(authorizationUrl).origin).toBe(new URL(ctx.stack.emulators.oauth.url).origin);
    expect(await link.textContent()).toBe(authorizationUrl);
    expect(await byTestId('oauth-countdown').textContent()).toMatch(/Expires in \d+:\d\d/);
    await screenshot(page(), 'oauth-login');

    // The operator opens the URL in another tab, approves, and lands on the login client's redirect URI, where
    // nothing listens: the page fails to load (expected), its address bar holds the code and the state.
    const tab = await browser.context.newPage();
    try {
      await tab.goto(authorizationUrl);
      // The navigation that fails: its URL is what the address bar shows (headless, Playwright reads it off the
      // request; the tab itself then shows Chromium's error page).
      const landing = tab.waitForEvent('requestfailed', (request) => request.isNavigationRequest());
      await tab.locator('#approve').click();
      const landed = (await landing).url();
      expect(landed).toMatch(/^http:\/\/localhost:51121\/oauth-callback\?code=[^&]+&state=/);

      // A paste of something else first: the console says what is wrong and keeps the login open.
      const wrongState = new URL(landed);
      wrongState.searchParams.set('state', 'not-this-login');
      await byTestId('oauth-paste').fill(wrongState.toString());
      await browser.expectErrors(/400/, async () => {
        await byTestId('oauth-complete').click();
        await byTestId('oauth-error').waitFor();
      });
      expect(await byTestId('oauth-error').textContent()).toMatch(/state does not match.*Paste again/);

      await byTestId('oauth-paste').fill(landed);
    } finally {
      await tab.close();
    }
    await byTestId('oauth-complete').click();
    await byTestId('oauth-done').waitFor({ timeout: 30_000 });
    expect(await byTestId('oauth-account').textContent()).toContain(names.loginLabel);
    await byTestId(`account-row-${names.loginLabel}`).waitFor();
    expect(await byTestId(`account-proxy-${names.loginLabel}`).textContent()).toBe('direct');

    // A client of the gateway asks for a model routed to the provider: the new account serves it.
    const answer = await eventually(async () => {
      const response = await post(ctx.stack, '/v1/chat/completions', openaiBody(names.loginModel, 'hello, new account'), { bearer: ctx.stack.demoKey });
      expect(response.status, response.text).toBe(200);
      return response;
    });
    const row = await findLogRow(answer.requestId);
    await expect.poll(() => row.textContent()).toContain(names.loginLabel);
    const stored = await ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId: answer.requestId } });
    const account = await ctx.prisma.account.findFirstOrThrow({ where: { label: names.loginLabel } });
    expect(stored.accountId).toBe(account.id);
    expect(account).toMatchObject({ authType: 'oauth', egress: 'direct' });
    noProblems();
  });

  it('imports a Gemini CLI credential file and shows the result per file', async () => {
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    const creds = join(files, 'oauth_creds.json');
    writeFileSync(
      creds,
      JSON.stringify({ access_token: 'ya29.expired', refresh_token: `1//console-import-${run}`, token_type: 'Bearer', scope: 'openid', id_token: jwt({ email: names.importEmail }), expiry_date: Date.now() - 1 }),
    );
    const notes = join(files, 'notes.txt');
    writeFileSync(notes, 'not a credential file');

    await byTestId('nav-accounts').click();
    await byTestId('import-credentials').click();
    await byTestId('import-provider').selectOption({ label: `${names.provider} (antigravity)` });
    await byTestId('import-egress').selectOption('direct');
    await byTestId('import-files').setInputFiles([creds, notes]);
    await byTestId('import-submit').click();
    const imported = byTestId('import-result-oauth_creds.json');
    await imported.waitFor({ timeout: 30_000 });
    expect(await imported.textContent()).toMatch(/importedgemini-cli#\d+ cli-/);
    expect(await byTestId('import-result-notes.txt').textContent()).toMatch(/^notes\.txtfailedunknown—/);
    await byTestId(`account-row-${names.importEmail}`).waitFor();
    await screenshot(page(), 'import');
    // The file's refresh token went in encrypted and never comes back.
    expect(await page().content()).not.toContain(`1//console-import-${run}`);
    noProblems();
  });

  it('creates a key with a small budget, is refused in OpenAI’s shape once it is spent, and shows the spend', async () => {
    // A route with the operator's price, so that a request's cost follows from its tokens.
    await byTestId('nav-providers').click();
    await byTestId('add-route').click();
    await byTestId('route-pattern').fill(names.pricedModel);
    await byTestId('route-provider').selectOption({ label: 'openai' });
    await byTestId('route-upstream-model').fill('gpt-4o-mini');
    await byTestId('route-price-input').fill(String(PRICE.inputPerMTok));
    await byTestId('route-price-output').fill(String(PRICE.outputPerMTok));
    await byTestId('route-submit').click();
    await expect.poll(() => byTestId(`route-price-${names.pricedModel}`).textContent()).toBe('$200 / $400');
    expect(JSON.parse((await ctx.prisma.modelRoute.findFirstOrThrow({ where: { pattern: names.pricedModel } })).price ?? 'null')).toEqual(PRICE);

    await byTestId('nav-keys').click();
    await byTestId('add-key').click();
    await byTestId('key-name').fill(names.key);
    await byTestId('key-budget').fill(String(BUDGET_USD));
    await byTestId('key-budget-period').selectOption('day');
    await byTestId('key-models').fill(names.pricedModel);
    await byTestId('key-expires').fill('2099-01-01T00:00');
    await byTestId('key-submit').click();
    const secret = (await byTestId('key-secret').textContent()) ?? '';
    expect(secret).toMatch(/^aigw-/);
    await byTestId('key-secret-dismiss').click();
    const row = byTestId(`key-row-${names.key}`);
    expect(await row.textContent()).toContain(`$${BUDGET_USD.toFixed(2)} / day`);
    expect(await row.textContent()).toContain(names.pricedModel);
    expect(await row.textContent()).toContain('2099-01-01 00:00');

    // Only the allowed model.
    expect((await post(ctx.stack, '/v1/chat/completions', openaiBody('gpt-4o-mini', 'not allowed'), { bearer: secret })).status).toBe(403);
    // A client spends it, one request after another, until the gateway refuses one.
    const served: HttpResult[] = [];
    let refused: HttpResult | undefined;
    for (let i = 0; i < 100 && refused === undefined; i++) {
      const answer = await post(ctx.stack, '/v1/chat/completions', openaiBody(names.pricedModel, `spend ${i} ${'word '.repeat(30)}`), { bearer: secret });
      if (answer.status === 429) refused = answer;
      else {
        expect(answer.status, answer.text).toBe(200);
        served.push(answer);
      }
    }
    expect(served.length).toBeGreaterThan(0);
    expect(refused?.json).toMatchObject({ error: { type: 'insufficient_quota', code: 'budget_exceeded', message: expect.stringContaining('budget of $0.03 per day') } });

    const logged = await eventually(async () => {
      const rows = await ctx.prisma.requestLog.findMany({ where: { requestId: { in: served.map((s) => s.requestId) } } });
      expect(rows).toHaveLength(served.length);
      return rows;
    });
    const spentUsd = logged.reduce((sum, r) => sum + Number(r.costMicroUsd), 0) / 1_000_000;
    expect(spentUsd).toBeGreaterThanOrEqual(BUDGET_USD);
    // As the console writes an amount of a cent or more.
    const usd = (n: number) => `$${n.toFixed(2)}`;

    await page().reload();
    await expect.poll(() => byTestId(`key-spent-${names.key}`).textContent()).toBe(usd(spentUsd));
    await byTestId(`key-link-${names.key}`).click();
    await expect.poll(() => byTestId('key-period-spend').textContent()).toContain(usd(spentUsd));
    expect(await byTestId('key-remaining').textContent()).toContain('$0.00');
    // The served requests and the refused ones.
    await expect.poll(async () => Number((await byTestId('key-requests').locator('.stat-value').textContent())?.replaceAll(',', ''))).toBeGreaterThan(served.length);
    expect(await byTestId('key-cost').textContent()).toContain(usd(spentUsd));
    expect(Number(await byTestId('key-chart-cost').getAttribute('data-total'))).toBeCloseTo(spentUsd, 6);
    await screenshot(page(), 'key');

    await byTestId('nav-overview').click();
    await byTestId('overview-by').selectOption('key');
    const overviewRow = byTestId(`overview-row-${names.key}`);
    await expect.poll(() => overviewRow.textContent(), { timeout: 15_000 }).toContain(usd(spentUsd));
    expect(Number(await byTestId('chart-cost').getAttribute('data-total'))).toBeGreaterThanOrEqual(spentUsd - 1e-9);

    // The operator raises the budget on the key's page: the client is served again.
    await byTestId('nav-keys').click();
    await byTestId(`key-link-${names.key}`).click();
    await byTestId('key-edit').click();
    expect(await byTestId('key-budget').inputValue()).toBe(String(BUDGET_USD));
    await byTestId('key-budget').fill('1');
    await byTestId('key-submit').click();
    await expect.poll(() => byTestId('key-remaining').textContent()).toContain(`of $1.00 left`);
    expect(await byTestId('key-limits').textContent()).toContain(`allowed models${names.pricedModel}`);
    const again = await post(ctx.stack, '/v1/chat/completions', openaiBody(names.pricedModel, 'within the new budget'), { bearer: secret });
    expect(again.status, again.text).toBe(200);
    noProblems();
  });

  it('shows an account cooling down after an upstream quota 429, with the reason and the reset time', async () => {
    ctx.stack.emulators.upstream.script({ match: { model: names.coolingModel }, quotaResetSeconds: 3_600, times: 1 });
    const before = Date.now();
    const answer = await post(ctx.stack, '/v1/chat/completions', openaiBody(names.coolingModel, 'over quota'), { bearer: ctx.stack.demoKey });
    // Another account of the provider took the request over.
    expect(answer.status, answer.text).toBe(200);
    const states = await adminJson('GET', '/accounts/state');
    const cooling = (states.data as Json[]).filter((s) => s.cooldowns.some((c: Json) => c.model === names.coolingModel));
    expect(cooling).toHaveLength(1);
    const label = cooling[0]!.label as string;

    await byTestId('nav-accounts').click();
    await expect.poll(() => byTestId(`account-status-${label}`).textContent(), { timeout: 10_000 }).toBe('cooling');
    const shown = (await byTestId(`account-cooling-${label}`).textContent()) ?? '';
    expect(shown).toContain(`quota exhausted (${names.coolingModel}) until `);
    // The reset time Google gave, an hour on, as the browser's local time.
    const reset = Math.floor(before / 1000) * 1000 + 3_600_000;
    const local = await page().evaluate((ms) => {
      const d = new Date(ms);
      return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    }, reset);
    expect(shown).toMatch(new RegExp(`until (\\d{4}-\\d\\d-\\d\\d )?${local}:\\d\\d \\(in (59m|1h 0m)`));
    expect(await byTestId(`account-quota-reset-${label}`).textContent()).toContain(`${local}:`);
    expect(await byTestId(`account-last-error-${label}`).textContent()).toBe('quota_exhausted 429');
    await screenshot(page(), 'accounts-live');
    noProblems();
  });
});
