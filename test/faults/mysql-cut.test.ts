import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../e2e/support/eventually.js';
import { admin, chat, ok, openaiBody, scrape } from '../e2e/support/http.js';
import { startFaultStack, type FaultContext } from './support/fault-stack.js';
import { expectCleanOutput, expectOneLogRowEach } from './support/invariants.js';
import { runLoad, summarize, warmUp } from './support/load.js';

// Issue 14 (DESIGN §9): MySQL cut for 65 s, longer than ingress's 60 s client-key cache, under steady load. Known
// keys keep working (their entries are served stale while rechecks fail, counted), the routing table keeps
// routing, a key never seen before gets a prompt 503 (never a 401, never a hang), and once MySQL is back new keys
// work again and every answered request has its log row.

let ctx: FaultContext;

const staleServed = async (cache: string) => {
  const text = (await scrape(ctx.stack)).text;
  const line = text.split('\n').find((l) => l.startsWith('aigw_cache_stale_served_total{') && l.includes(`cache="${cache}"`));
  return Number(line?.split(' ')[1] ?? 0);
};

beforeAll(async () => {
  ctx = await startFaultStack('fault_mysql_cut');
  await warmUp(ctx.stack);
}, 180_000);

afterAll(async () => {
  await ctx?.teardown();
});

describe('MySQL cut 65 s', () => {
  it('answers ≥ 99 % of a steady load with 200, none slower than 2 s; an unknown key gets a prompt 503', async () => {
    const unseen = ok(await admin(ctx.stack, 'POST', '/keys', { name: 'first used during the outage' }), 'create key').json as { key: string };
    const run = runLoad(ctx.stack, { ratePerSecond: 20, durationMs: 71_000 });
    await sleep(3_000);
    await ctx.deps.mysql.off();
    // Past the demo key's 60 s cache lifetime and a route refresh or two.
    await sleep(63_000);
    const started = Date.now();
    const fresh = await chat(ctx.stack, openaiBody('gpt-4o-mini', 'new here'), { bearer: unseen.key });
    const freshMs = Date.now() - started;
    const stale = { apiKey: await staleServed('api_key'), route: await staleServed('route') };
    await sleep(Math.max(0, 2_000 - freshMs));
    await ctx.deps.mysql.on();
    const outcomes = await run;

    const summary = summarize(outcomes);
    expect(summary.okRatio, JSON.stringify(summary)).toBeGreaterThanOrEqual(0.99);
    // The emulated upstream answers in milliseconds: 2 s beyond it is 2 s.
    expect(summary.maxMs, JSON.stringify(summary)).toBeLessThan(2_000);
    // DB_TIMEOUT_MS (2 s) at most, and a 503 to come back to, not a 401 for a key that may be valid.
    expect(fresh.status, fresh.text).toBe(503);
    expect(fresh.headers.get('retry-after')).toBe('1');
    expect(freshMs).toBeLessThan(4_000);
    // Served stale, and said so.
    expect(stale.apiKey).toBeGreaterThan(0);
    expect(stale.route).toBeGreaterThan(0);

    await eventually(async () => expect((await chat(ctx.stack, openaiBody('gpt-4o-mini', 'new here'), { bearer: unseen.key })).status).toBe(200), {
      timeoutMs: 30_000,
    });
    expect(await expectOneLogRowEach(ctx.prisma, outcomes)).toBe(outcomes.length);
    // Ingress's own output only, for now: selector's and provider-call's reloads still log Prisma's stack while
    // MySQL is away (their error listeners are another part of issue 14); make this the whole stack once they are quiet.
    expectCleanOutput(ctx.stack);
  }, 200_000);
});
