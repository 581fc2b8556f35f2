import { once } from 'node:events';
import { connect, createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFaultStack, type FaultContext } from './support/fault-stack.js';
import { expectCleanOutput, expectOneLogRowEach } from './support/invariants.js';
import { runLoad, summarize, warmUp } from './support/load.js';
import { TcpSwitch } from './support/tcp-switch.js';

// A scenario runs its load for tens of seconds, then waits for the log rows: more than the project's 60 s.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

// The fault suite's own parts, proved before any scenario leans on them: the switch really cuts, stalls and
// restores a connection, and a healthy stack behind the switches passes the invariant every scenario asserts.

describe('TcpSwitch', () => {
  let echo: Server;
  let port = 0;

  beforeAll(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    port = (echo.address() as { port: number }).port;
  });

  afterAll(() => {
    echo.close();
  });

  async function roundTrip(target: number, text: string, waitMs = 1_000): Promise<string | 'no answer' | 'refused'> {
    const socket = connect(target, '127.0.0.1');
    try {
      await Promise.race([once(socket, 'connect'), once(socket, 'error').then(() => Promise.reject(new Error('refused')))]);
    } catch {
      return 'refused';
    }
    socket.write(text);
    const answer = await Promise.race([once(socket, 'data').then(([d]) => String(d)), sleep(waitMs).then(() => 'no answer' as const)]);
    socket.destroy();
    return answer;
  }

  it('forwards, holds everything while paused and lets it through when switched on, refuses when off', async () => {
    const sw = new TcpSwitch('127.0.0.1', port);
    const at = await sw.on();
    try {
      expect(await roundTrip(at, 'one')).toBe('one');

      const held = connect(at, '127.0.0.1');
      await once(held, 'connect');
      sw.pause();
      held.write('held back');
      const during = await Promise.race([once(held, 'data').then(() => 'answered'), sleep(300).then(() => 'silent')]);
      expect(during).toBe('silent');
      expect(await roundTrip(at, 'new while paused', 300)).toBe('no answer');
      const after = once(held, 'data').then(([d]) => String(d));
      await sw.on();
      expect(await after).toBe('held back');
      held.destroy();

      await sw.off();
      expect(await roundTrip(at, 'off')).toBe('refused');
      await sw.on();
      expect(await roundTrip(at, 'again')).toBe('again');
    } finally {
      await sw.off();
    }
  });
});

describe('a healthy stack behind the switches', () => {
  let ctx: FaultContext;

  beforeAll(async () => {
    ctx = await startFaultStack('fault_harness');
  });

  afterAll(async () => {
    await ctx?.teardown();
  });

  it('answers a steady load with 200s and logs every answered request exactly once', async () => {
    await warmUp(ctx.stack);
    const outcomes = await runLoad(ctx.stack, { ratePerSecond: 40, durationMs: 3_000 });
    const summary = summarize(outcomes);
    expect(summary.okRatio, JSON.stringify(summary)).toBe(1);
    // No fault, so no request may take long (the emulator answers in milliseconds); a loose bound for a busy CI.
    expect(summary.maxMs, JSON.stringify(summary)).toBeLessThan(2_000);
    expect(await expectOneLogRowEach(ctx.prisma, outcomes)).toBe(outcomes.length);
    expectCleanOutput(ctx.stack);
  });
});
