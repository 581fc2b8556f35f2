import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authClient, bearerToken, getCredential, loadAccounts, type DemoAccount } from './support/backends.js';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, chat, messages, openaiBody, anthropicBody, post, type HttpResult } from './support/http.js';
import { findLeaks, knownSecrets } from './support/secrets.js';

// DESIGN §4 proxy pool: accounts are bound to proxies fill-first within capacity, the binding is stored
// (so it survives restarts), every upstream call of an account goes through its own proxy, and disabling
// a proxy moves its accounts elsewhere.

interface ProxyAssignment {
  proxyId: number;
  label: string;
  capacity: number;
  accounts: { id: number; label: string }[];
}

let ctx: E2eContext;

const expectOk = (response: HttpResult) => expect(response.status, response.text).toBe(200);

async function assignments(): Promise<ProxyAssignment[]> {
  const response = await admin(ctx.stack, 'GET', '/proxies/assignments');
  expectOk(response);
  const { data } = response.json as { data: ProxyAssignment[] };
  return [...data].sort((a, b) => a.proxyId - b.proxyId);
}

/** Proxy id → the forward-proxy emulator's name, matched by URL (the database holds the URL). */
async function proxyNames(): Promise<Map<number, string>> {
  const byUrl = new Map(ctx.stack.emulators.proxies.map((proxy) => [proxy.url, proxy.name]));
  const rows = await ctx.prisma.proxy.findMany({ orderBy: { id: 'asc' } });
  return new Map(rows.map((row) => [row.id, byUrl.get(row.proxyUrl) ?? `unknown proxy ${row.id}`]));
}

/** The upstream credential of every account (OAuth tokens as auth hands them out now). */
async function credentialOwners(accounts: DemoAccount[]): Promise<Map<string, DemoAccount>> {
  const auth = authClient(ctx.stack.grpcAddresses.auth[0] ?? '');
  try {
    const owners = new Map<string, DemoAccount>();
    for (const account of accounts) {
      const credential =
        account.authType === 'oauth' ? bearerToken(await getCredential(auth, account.id)) : String(account.authData['apiKey']);
      owners.set(credential, account);
    }
    return owners;
  } finally {
    auth.close();
  }
}

/** Sends traffic that reaches every account: 2 per antigravity account, 2 per openai account, 2 each for glm, openai-responses and gemini. */
async function trafficToEveryAccount(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    expectOk(await chat(ctx.stack, openaiBody('claude-sonnet-4-5', `via openai ${i}`)));
    expectOk(await messages(ctx.stack, anthropicBody('gemini-2.5-flash', `via anthropic ${i}`)));
  }
  for (let i = 0; i < 4; i++) expectOk(await chat(ctx.stack, openaiBody('gpt-4o-mini', `gpt ${i}`)));
  for (let i = 0; i < 2; i++) expectOk(await chat(ctx.stack, openaiBody('glm-4.6', `glm ${i}`)));
  for (let i = 0; i < 2; i++) expectOk(await chat(ctx.stack, openaiBody('gpt-5.1-codex', `codex ${i}`)));
  for (let i = 0; i < 2; i++) expectOk(await post(ctx.stack, '/v1/embeddings', { model: 'gemini-embedding-001', input: `gemini ${i}` }, { bearer: ctx.stack.demoKey }));
}

/** Asserts every upstream request since `mark` went through the proxy its account is bound to (in the database). */
async function expectTrafficThroughBoundProxies(mark: number): Promise<void> {
  const accounts = await loadAccounts(ctx);
  const owners = await credentialOwners(accounts);
  const names = await proxyNames();
  const requests = ctx.stack.emulators.upstream.requests().slice(mark);
  expect(requests.length).toBeGreaterThanOrEqual(12);
  const reached = new Set<number>();
  for (const request of requests) {
    const account = owners.get(request.credential);
    expect(account, `upstream request with a credential of no account (status ${request.status})`).toBeDefined();
    if (account === undefined) continue;
    reached.add(account.id);
    const expected = account.proxyId === null ? undefined : names.get(account.proxyId);
    expect(request.viaProxy, `${account.label} (proxy ${String(account.proxyId)})`).toBe(expected);
  }
  expect([...reached].sort((a, b) => a - b)).toEqual(accounts.map((a) => a.id));

  // The proxies' own view: each one forwarded exactly the requests of the accounts bound to it.
  for (const proxy of ctx.stack.emulators.proxies) {
    const stats = proxy.stats();
    const viaThis = requests.filter((request) => request.viaProxy === proxy.name);
    expect(stats.requests, proxy.name).toBe(viaThis.length);
    for (const [credential, count] of Object.entries(stats.byCredential)) {
      const account = owners.get(credential);
      expect(account && names.get(account.proxyId ?? -1), `${proxy.name} forwarded for another proxy's account`).toBe(proxy.name);
      expect(count).toBe(viaThis.filter((request) => request.credential === credential).length);
    }
  }
}

/**
 * Starts a fresh count at the proxies and returns the upstream's current record count. Upstream records are
 * kept, not cleared, so that the secret scan at the end knows every token that was used.
 */
function markRecords(): number {
  ctx.stack.emulators.proxies.forEach((proxy) => proxy.reset());
  return ctx.stack.emulators.upstream.requests().length;
}

describe('proxy pool: fill-first binding and traffic through the bound proxy', () => {
  beforeAll(async () => {
    ctx = await startE2eStack('proxies');
  });

  afterAll(async () => {
    await ctx?.teardown();
  });

  it('binds accounts fill-first in id order without exceeding any capacity', async () => {
    const accounts = await loadAccounts(ctx);
    const proxies = await ctx.prisma.proxy.findMany({ orderBy: { id: 'asc' } });
    expect(accounts).toHaveLength(8);
    expect(proxies.map((p) => p.capacity)).toEqual([3, 5]);

    const listed = await assignments();
    expect(listed.map((p) => p.proxyId)).toEqual(proxies.map((p) => p.id));
    expect(listed.map((p) => p.accounts.map((a) => a.id))).toEqual([accounts.slice(0, 3).map((a) => a.id), accounts.slice(3).map((a) => a.id)]);
    for (const proxy of listed) expect(proxy.accounts.length).toBeLessThanOrEqual(proxy.capacity);
    // The listing is the database's truth.
    for (const account of accounts) {
      const holder = listed.find((p) => p.accounts.some((a) => a.id === account.id));
      expect(account.proxyId, account.label).toBe(holder?.proxyId ?? null);
    }
    // Never the proxy URL (it carries the password).
    expect(JSON.stringify(listed)).not.toContain('http://');
  });

  it("sends each account's upstream traffic through its own proxy", async () => {
    const mark = markRecords();
    await trafficToEveryAccount();
    await expectTrafficThroughBoundProxies(mark);
  });

  it('keeps the same assignment across a restart of every service', async () => {
    const before = await assignments();
    for (const name of ['selector', 'auth', 'provider-call', 'logging', 'ingress'] as const) {
      await ctx.stack.service(name).restart();
    }
    expect(await assignments()).toEqual(before);
    const mark = markRecords();
    await trafficToEveryAccount();
    await expectTrafficThroughBoundProxies(mark);
  });

  it('rebinds the accounts of a disabled proxy on recalculate', async () => {
    const [first, second] = await assignments();
    if (first === undefined || second === undefined) throw new Error('expected two proxies');
    // Room for everyone on the second proxy, then take the first one out.
    expectOk(await admin(ctx.stack, 'PATCH', `/proxies/${second.proxyId}`, { capacity: 8 }));
    expectOk(await admin(ctx.stack, 'PATCH', `/proxies/${first.proxyId}`, { isActive: false }));
    const recalculated = await admin(ctx.stack, 'POST', '/proxies/recalculate');
    expectOk(recalculated);
    const result = recalculated.json as { changed: number; assignments: { accountId: number; proxyId: number | null }[] };
    expect(typeof result.changed).toBe('number');
    const accounts = await loadAccounts(ctx);
    expect(result.assignments.map((a) => a.proxyId)).toEqual(accounts.map(() => second.proxyId));

    const listed = await assignments();
    expect(listed.find((p) => p.proxyId === first.proxyId)?.accounts).toEqual([]);
    expect(listed.find((p) => p.proxyId === second.proxyId)?.accounts.map((a) => a.id)).toEqual(accounts.map((a) => a.id));
    for (const account of accounts) expect(account.proxyId, account.label).toBe(second.proxyId);

    // Once the services have picked the change up, every account's traffic goes through the second proxy.
    await eventually(async () => {
      const mark = markRecords();
      await trafficToEveryAccount();
      await expectTrafficThroughBoundProxies(mark);
    });
    expect(ctx.stack.emulators.proxies.find((p) => p.name === 'proxy-1')?.stats().requests).toBe(0);
  });

  it('no credential appears in any log line of any service', async () => {
    const secrets = await knownSecrets(ctx);
    expect(findLeaks(ctx.stack.logs(), secrets)).toEqual([]);
  });
});
