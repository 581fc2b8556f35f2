import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually } from '../e2e/support/eventually.js';
import { startFaultStack, type FaultContext } from './support/fault-stack.js';
import { expectCleanOutput, expectOneLogRowEach } from './support/invariants.js';
import { runLoad, summarize, warmUp } from './support/load.js';

// A scenario runs its load for tens of seconds, then waits for the log rows: more than the project's 60 s.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

// Issue 14: "one account's OAuth token endpoint hangs 40 s" (and answers 500 instead). Tokens live 20 s here, so
// the failing account's token runs out during the fault: while it is valid it is served, once expired that
// account fails fast in auth (its refreshes back off) and ingress serves the request from another account.

const RATE = 60;
const FAULT_AT_MS = 2_000;
const FAULT_MS = 40_000;
const RUN_MS = FAULT_AT_MS + FAULT_MS + 3_000;
const SLOWEST_MS = 2_500;
const FAILING_CLIENT = 'demo-antigravity-1';
const body = (i: number) => ({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: `oauth fault request ${i}` }] });

let ctx: FaultContext;

beforeAll(async () => {
  ctx = await startFaultStack('fault_oauth', { emulators: { oauthExpiresInSeconds: 20 } });
  // The first antigravity request of a fresh stack waits for the provider's model list; until then the model is unknown.
  await eventually(
    async () => {
      const [first] = await runLoad(ctx.stack, { ratePerSecond: 1, durationMs: 1_000, body });
      if (first?.status !== 200) throw new Error(`antigravity not serving yet: ${JSON.stringify(first)}`);
    },
    { timeoutMs: 60_000, intervalMs: 1_000 },
  );
  await warmUp(ctx.stack, { body });
});

afterAll(async () => {
  await ctx?.teardown();
});

describe.each(['hang', 'error'] as const)('one account’s token endpoint fails (%s) for 40 s under a steady load', (mode) => {
  it('answers at least 99 % of requests 200, none slow, and tries that endpoint a bounded number of times', async () => {
    const oauth = ctx.stack.emulators.oauth;
    const failedBefore = oauth.failedCountFor(FAILING_CLIENT);
    const scenario = (async () => {
      await sleep(FAULT_AT_MS);
      oauth.setFailure(FAILING_CLIENT, mode);
      await sleep(FAULT_MS);
      oauth.setFailure(FAILING_CLIENT, undefined);
    })();
    const outcomes = await runLoad(ctx.stack, { ratePerSecond: RATE, durationMs: RUN_MS, body });
    await scenario;
    const summary = summarize(outcomes);
    const slowest = [...outcomes].sort((a, b) => b.latencyMs - a.latencyMs).slice(0, 3);
    expect(summary.okRatio, JSON.stringify(summary)).toBeGreaterThanOrEqual(0.99);
    expect(summary.maxMs, JSON.stringify({ summary, slowest })).toBeLessThan(SLOWEST_MS);
    // Backoff from 1 s doubling (hung tries also hold 5 s each): about eight tries in 40 s, not one per request.
    const tries = oauth.failedCountFor(FAILING_CLIENT) - failedBefore;
    expect(tries).toBeGreaterThanOrEqual(1);
    expect(tries).toBeLessThanOrEqual(12);
    expect(await expectOneLogRowEach(ctx.prisma, outcomes)).toBe(outcomes.filter((o) => o.status !== 0).length);
    expectCleanOutput(ctx.stack);
  });
});
