import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpSwitch } from '../faults/support/tcp-switch.js';
import { startE2eStack, type E2eContext } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { admin, chat, openaiBody, type HttpResult } from './support/http.js';

// Issue 15 item 4: the admin API shows each account's live state from Redis, cluster-wide: an upstream quota error
// puts the account in `cooling` with the reason, the reset time Google gave and where it came from; the last error,
// the rate window and the affinity bindings are there; Redis gone or stalled leaves the database's facts with
// `stateAvailable: false`, never a 500. Ingress alone reaches Redis through a switch the test owns.

interface Cooldown {
  model: string | null;
  reason: string;
  until: string;
  retryAfterSource: string;
}

interface AccountState {
  accountId: number;
  label: string;
  provider: string;
  status: string;
  stateAvailable: boolean;
  cooldowns: Cooldown[];
  quotaResetAt: string | null;
  rateWindow: { requests: number | null; windowSeconds: number; limit: number | null };
  lastUsedAt: string | null;
  lastError: { class: string; status: number; at: string; message: string } | null;
  affinityBindings: number | null;
  proxy: { id: number; label: string; url: string; healthy: boolean } | null;
}

let ctx: E2eContext;
const ingressRedis = new TcpSwitch('127.0.0.1', 6379);

const expectOk = (response: HttpResult) => expect(response.status, response.text).toBe(200);

async function listing(): Promise<{ stateAvailable: boolean; data: AccountState[] }> {
  const response = await admin(ctx.stack, 'GET', '/accounts/state');
  expectOk(response);
  return response.json as { stateAvailable: boolean; data: AccountState[] };
}

async function stateOf(id: number): Promise<AccountState> {
  const response = await admin(ctx.stack, 'GET', `/accounts/${id}/state`);
  expectOk(response);
  return response.json as AccountState;
}

beforeAll(async () => {
  const port = await ingressRedis.on();
  ctx = await startE2eStack('acctstate', { env: { ingress: { REDIS_URL: `redis://127.0.0.1:${port}` } } });
});

afterAll(async () => {
  await ctx?.teardown();
  await ingressRedis.off();
});

describe('account live state', () => {
  it('shows an account cooling down after a quota error, until Google’s reset time, with the reason and the last error', async () => {
    const model = 'gemini-acctstate-quota';
    ctx.stack.emulators.upstream.script({ match: { model }, quotaResetSeconds: 3_600, times: 1 });
    const before = Date.now();
    expectOk(await chat(ctx.stack, openaiBody(model, 'over quota')));
    const after = Date.now();

    const { stateAvailable, data } = await listing();
    expect(stateAvailable).toBe(true);
    const cooling = data.filter((s) => s.cooldowns.some((c) => c.model === model));
    expect(cooling).toHaveLength(1);
    const listed = cooling[0]!;
    expect(listed).toMatchObject({ provider: 'antigravity', status: 'cooling', stateAvailable: true });
    expect(listed.cooldowns).toEqual([{ model, reason: 'quota_exhausted', until: expect.any(String), retryAfterSource: 'quota-reset' }]);
    // The emulator's time stamp is in whole seconds; the cooldown ends then.
    const until = Date.parse(listed.cooldowns[0]!.until);
    expect(until).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3_600_000 - 1_000);
    expect(until).toBeLessThanOrEqual(after + 3_600_000 + 1_000);
    expect(Math.abs(Date.parse(listed.quotaResetAt!) - until)).toBeLessThan(1_000);
    expect(listed.lastError).toMatchObject({ class: 'quota_exhausted', status: 429 });
    expect(listed.lastError!.message).toContain('exhausted your capacity');
    expect(Date.parse(listed.lastError!.at)).toBeGreaterThanOrEqual(before - 1_000);
    expect(listed.proxy).toMatchObject({ healthy: true });
    expect(listed.proxy!.url).not.toContain('@');

    // The same account on its own route; the others are not cooling for this model.
    expect(await stateOf(listed.accountId)).toEqual(listed);
    for (const other of data.filter((s) => s.accountId !== listed.accountId)) expect(other.cooldowns.map((c) => c.model)).not.toContain(model);
    expect(JSON.stringify(data)).not.toMatch(/authData|refreshToken|sk-demo-|AIza-demo-/);
  });

  it('counts the rate window and a conversation’s affinity binding on the account that served it', async () => {
    const model = 'claude-acctstate-affinity';
    const first = await chat(ctx.stack, openaiBody(model, 'first turn', { prompt_cache_key: 'acctstate-session-1' }));
    expectOk(first);
    const row = await eventually(() => ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId: first.requestId } }));
    const served = row.accountId!;
    const before = await stateOf(served);
    expect(before.affinityBindings).toBeGreaterThanOrEqual(1);
    expect(before.rateWindow.windowSeconds).toBe(60);
    expect(before.rateWindow.requests).toBeGreaterThanOrEqual(1);

    // A new conversation bound to the same account adds one binding; a later turn of it adds none.
    const second = await chat(ctx.stack, openaiBody(model, 'another conversation', { prompt_cache_key: 'acctstate-session-2' }));
    expectOk(second);
    const secondRow = await eventually(() => ctx.prisma.requestLog.findFirstOrThrow({ where: { requestId: second.requestId } }));
    expectOk(await chat(ctx.stack, openaiBody(model, 'second turn', { prompt_cache_key: 'acctstate-session-1' })));
    const bindings = async (id: number) => (await stateOf(id)).affinityBindings;
    if (secondRow.accountId === served) expect(await bindings(served)).toBe(before.affinityBindings! + 1);
    else expect(await bindings(served)).toBe(before.affinityBindings);
  });

  it('answers with the database’s facts and stateAvailable false while Redis stalls or is gone', async () => {
    const accounts = await ctx.prisma.account.count();
    ingressRedis.pause();
    try {
      const started = Date.now();
      const stalled = await listing();
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(stalled.stateAvailable).toBe(false);
      expect(stalled.data).toHaveLength(accounts);
      for (const state of stalled.data) {
        expect(state).toMatchObject({ stateAvailable: false, cooldowns: [], quotaResetAt: null, lastError: null, affinityBindings: null });
        expect(['active', 'disabled', 'waiting_for_proxy']).toContain(state.status);
      }
      await ingressRedis.off();
      const gone = await listing();
      expect(gone.stateAvailable).toBe(false);
      const one = await stateOf(gone.data[0]!.accountId);
      expect(one).toMatchObject({ accountId: gone.data[0]!.accountId, stateAvailable: false, rateWindow: { requests: null, windowSeconds: 60 } });
    } finally {
      await ingressRedis.on();
    }
  });
});
