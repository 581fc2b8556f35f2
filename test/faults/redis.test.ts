import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFaultStack, type FaultContext } from './support/fault-stack.js';
import { expectCleanOutput, expectOneLogRowEach } from './support/invariants.js';
import { runLoad, summarize, warmUp } from './support/load.js';

// A scenario runs its load for tens of seconds, then waits for the log rows: more than the project's 60 s.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

// Issue 14: "Redis connections cut 15 s" and "Redis paused 15 s (connections open, nothing answered)" at a steady
// load. Selector rotates over its cached accounts in process, auth serves its cached credentials, and every other
// Redis use on the request path fails fast or is skipped, so at least 99 % of requests are answered 200 and none
// waits on Redis for long.

// The issue measured at ~150 req/s against `npm start`; on a shared 2-core CI machine that also runs the load
// driver, the emulators and the switches, 50 req/s keeps the run about the gateway rather than the machine.
const RATE = 50;
const FAULT_AT_MS = 3_000;
const FAULT_MS = 15_000;
const RUN_MS = FAULT_AT_MS + FAULT_MS + 4_000;
// The emulated upstream answers in milliseconds: 2 s is the bound beyond upstream time, plus a margin
// for a loaded 2-core CI machine.
const SLOWEST_MS = 2_500;

let ctx: FaultContext;

beforeAll(async () => {
  ctx = await startFaultStack('fault_redis');
  await warmUp(ctx.stack);
});

afterAll(async () => {
  await ctx?.teardown();
});

describe.each([
  ['cut', () => ctx.deps.redis.off()],
  ['paused', async () => ctx.deps.redis.pause()],
])('Redis %s for 15 s under a steady load', (_, fail) => {
  it('answers at least 99 % of requests 200, none slow, each logged once, with clean service output', async () => {
    const scenario = (async () => {
      await sleep(FAULT_AT_MS);
      await fail();
      await sleep(FAULT_MS);
      await ctx.deps.redis.on();
    })();
    const outcomes = await runLoad(ctx.stack, { ratePerSecond: RATE, durationMs: RUN_MS });
    await scenario;
    const summary = summarize(outcomes);
    const slowest = [...outcomes].sort((a, b) => b.latencyMs - a.latencyMs).slice(0, 3);
    expect(summary.okRatio, JSON.stringify(summary)).toBeGreaterThanOrEqual(0.99);
    expect(summary.maxMs, JSON.stringify({ summary, slowest })).toBeLessThan(SLOWEST_MS);
    expect(await expectOneLogRowEach(ctx.prisma, outcomes)).toBe(outcomes.filter((o) => o.status !== 0).length);
    expectCleanOutput(ctx.stack);
  });
});
