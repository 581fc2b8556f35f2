import { startForwardProxy, type ForwardProxy } from '@aigw/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, chat, ok, openaiBody, type HttpResult } from './support/http.js';

// Issue 14, item 6 (DESIGN §9): an account bound to the proxy pool never goes out directly. The demo seed fills
// both proxies (3 + 5 accounts), so a new account finds no room: it is not selectable until it has a proxy, and
// the admin API says so, unless the operator chose direct egress for it. A proxy that fails is disabled and its
// accounts are left waiting (never sent direct); once it answers again the health probe re-enables it and they
// are bound again.

let ctx: E2eContext;
let extraProxy: ForwardProxy | undefined;

beforeAll(async () => {
  ctx = await startE2eStack('proxy_pool', { env: { 'provider-call': { PROXY_PROBE_INTERVAL_MS: '500', PROXY_HEALTH_FLUSH_MS: '200' } } });
});

afterAll(async () => {
  await ctx?.teardown();
  await extraProxy?.close();
});

interface AdminAccount {
  id: number;
  label: string;
  proxyId: number | null;
  egress: string;
  waitingForProxy: boolean;
}

const upstreamV1 = () => `${ctx.stack.emulators.upstream.url.replace(/\/+$/, '')}/v1`;

async function accounts(): Promise<AdminAccount[]> {
  return (ok(await admin(ctx.stack, 'GET', '/accounts'), 'list accounts').json as { data: AdminAccount[] }).data;
}

/** A provider with one account and a route `<name>-*` to it; the created account as the admin API shows it. */
async function providerWithAccount(name: string, account: Record<string, unknown>): Promise<AdminAccount> {
  ok(await admin(ctx.stack, 'POST', '/providers', { name, kind: 'openai', baseUrl: upstreamV1() }), `create provider ${name}`);
  ok(await admin(ctx.stack, 'POST', '/routes', { provider: name, pattern: `${name}-*` }), `create route ${name}`);
  const created = ok(
    await admin(ctx.stack, 'POST', '/accounts', { provider: name, label: `${name}-1`, authType: 'api_key', credentials: { apiKey: `sk-${name}` }, ...account }),
    `create account of ${name}`,
  );
  return created.json as AdminAccount;
}

/** Upstream requests that carried `credential`, and through which proxy. */
const upstreamVia = (credential: string, since = 0) =>
  ctx.stack.emulators.upstream
    .requests()
    .slice(since)
    .filter((r) => r.credential === credential)
    .map((r) => r.viaProxy);

const expectOk = (response: HttpResult) => expect(response.status, response.text.slice(0, 300)).toBe(200);

describe('a full proxy pool', () => {
  it('leaves a new pool account unselectable, says so, and never sends it direct', async () => {
    const created = await providerWithAccount('waiting', {});
    expect(created).toMatchObject({ egress: 'pool', proxyId: null, waitingForProxy: true });
    // Once the route has reached ingress: the usual answer for a provider with no selectable account.
    await eventually(async () => {
      const response = await chat(ctx.stack, openaiBody('waiting-model', 'hello'));
      expect(response.status, response.text).toBe(404);
      expect((response.json as { error: { code: string } }).error.code).toBe('no_account');
    });
    expect(upstreamVia('sk-waiting')).toEqual([]);
    await eventually(async () => expect(ctx.stack.logs().some((line) => line.includes('accounts without a proxy are not selectable') && line.includes('waiting/waiting-1'))).toBe(true));
  });

  it('sends an account whose operator chose direct egress straight to the upstream', async () => {
    const created = await providerWithAccount('direct', { egress: 'direct' });
    expect(created).toMatchObject({ egress: 'direct', proxyId: null, waitingForProxy: false });
    const answer = await eventually(async () => {
      const response = await chat(ctx.stack, openaiBody('direct-model', 'hello'));
      expectOk(response);
      return response;
    });
    expectOk(answer);
    expect(upstreamVia('sk-direct')).toContain(undefined);
    expect(upstreamVia('sk-direct').every((via) => via === undefined)).toBe(true);
  });

  it('binds the waiting account once a proxy with room is added, and it goes through it', async () => {
    extraProxy = await startForwardProxy({ name: 'proxy-extra' });
    ok(await admin(ctx.stack, 'POST', '/proxies', { label: 'extra', proxyUrl: extraProxy.url, capacity: 1 }), 'add a proxy');
    const waiting = (await accounts()).find((a) => a.label === 'waiting-1');
    expect(waiting).toMatchObject({ waitingForProxy: false });
    expect(waiting?.proxyId).not.toBeNull();
    await eventually(async () => expectOk(await chat(ctx.stack, openaiBody('waiting-model', 'now with a proxy'))));
    expect(upstreamVia('sk-waiting')).toEqual(['proxy-extra']);
  });
});

describe('a proxy that fails and comes back', () => {
  it('is disabled, its accounts wait (never direct), and the probe re-enables it and binds them again', async () => {
    const proxy2 = ctx.stack.emulators.proxies[1]!;
    const row = await ctx.prisma.proxy.findFirstOrThrow({ where: { proxyUrl: proxy2.url } });
    const bound = (await accounts()).filter((a) => a.proxyId === row.id);
    expect(bound.map((a) => a.label)).toContain('openai-demo-1');
    const mark = ctx.stack.emulators.upstream.requests().length;

    proxy2.setFailing(true);
    try {
      await eventually(async () => {
        await chat(ctx.stack, openaiBody('gpt-4o', 'through a dead proxy'));
        expect((await ctx.prisma.proxy.findUniqueOrThrow({ where: { id: row.id } })).isActive).toBe(false);
      });
      // Rebound: no other proxy has room, so they wait rather than go direct.
      await eventually(async () => {
        const now = (await accounts()).filter((a) => bound.some((b) => b.id === a.id));
        expect(now.every((a) => a.proxyId === null && a.waitingForProxy)).toBe(true);
      });
      const refused = await chat(ctx.stack, openaiBody('gpt-4o', 'while the proxy is down'));
      expect(refused.status).toBeGreaterThanOrEqual(400);
      // Nothing of those accounts reached the upstream directly (the gateway's own address).
      const direct = ctx.stack.emulators.upstream
        .requests()
        .slice(mark)
        .filter((r) => r.viaProxy === undefined && r.credential !== 'sk-direct');
      expect(direct).toEqual([]);
    } finally {
      proxy2.setFailing(false);
    }

    // The probe (every 500 ms) finds it working: active again, failures reset, the accounts bound to it again.
    await eventually(async () => {
      const now = await ctx.prisma.proxy.findUniqueOrThrow({ where: { id: row.id } });
      expect(now).toMatchObject({ isActive: true, failureCount: 0 });
    });
    const after = (await accounts()).filter((a) => bound.some((b) => b.id === a.id));
    expect(after.every((a) => a.proxyId === row.id && !a.waitingForProxy)).toBe(true);
    const since = ctx.stack.emulators.upstream.requests().length;
    // Once the cooldowns from the failed attempts (at most COOLDOWN_MAX_MS, 60 s) have run out.
    await eventually(async () => expectOk(await chat(ctx.stack, openaiBody('gpt-4o', 'proxy is back'))), { timeoutMs: 75_000, intervalMs: 1_000 });
    const served = ctx.stack.emulators.upstream.requests().slice(since).filter((r) => r.status === 200);
    expect(served.length).toBeGreaterThan(0);
    expect(served.every((r) => r.viaProxy === proxy2.name)).toBe(true);
  });
});
