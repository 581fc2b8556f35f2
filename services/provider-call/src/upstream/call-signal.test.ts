import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@aigw/errors';
import { CallSignal, formatDuration, isProxyFault } from './call-signal.js';

const live = () => new AbortController().signal;

describe('CallSignal', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells a caller cancellation from a network failure', () => {
    const caller = new AbortController();
    const cancelled = new CallSignal(caller.signal, { callMs: 60_000, deadline: Infinity });
    caller.abort();
    expect(cancelled.signal.aborted).toBe(true);
    expect(cancelled.classify(new Error('aborted'), 'connect').code).toBe('CANCELLED');
    cancelled.release();

    const plain = new CallSignal(live(), { callMs: 60_000, deadline: Infinity });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(plain.classify(refused, 'connect')).toMatchObject({ code: 'UPSTREAM_UNREACHABLE', message: 'upstream unreachable (connect ECONNREFUSED 127.0.0.1:9)' });
    expect(plain.classify(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'connect').code).toBe('UPSTREAM_TIMEOUT');
    expect(plain.classify(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'body').code).toBe('UPSTREAM_ERROR');
    plain.release();
  });

  it('ends a call at its whole-call limit and names it', () => {
    vi.useFakeTimers();
    const call = new CallSignal(live(), { callMs: 3_000, deadline: Date.now() + 60_000 });
    vi.advanceTimersByTime(2_999);
    expect(call.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(call.ended).toBe('call');
    expect(call.classify(new Error('aborted'), 'connect')).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      message: "the upstream did not finish its answer within the gateway's limit for a call (3 s)",
      details: { limit: 'call' },
    });
  });

  it("ends a call at the caller's deadline when that comes first, as the caller's (not the upstream's) timeout", () => {
    vi.useFakeTimers();
    const call = new CallSignal(live(), { callMs: 60_000, deadline: Date.now() + 500 });
    vi.advanceTimersByTime(500);
    expect(call.ended).toBe('deadline');
    expect(call.classify(new Error('aborted'), 'body').code).toBe('DEADLINE_EXCEEDED');
  });

  it('ends a stream that stays silent for the idle limit, counting only the time spent waiting for the upstream', () => {
    vi.useFakeTimers();
    const call = new CallSignal(live(), { idleMs: 1_000, deadline: Date.now() + 60_000 });
    // Pieces every 600 ms: never idle for 1 s.
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(600);
      call.active();
      call.waiting();
    }
    expect(call.signal.aborted).toBe(false);
    // The caller holds a piece for 5 s (a slow client): not the upstream's silence.
    call.active();
    vi.advanceTimersByTime(5_000);
    expect(call.signal.aborted).toBe(false);
    call.waiting();
    vi.advanceTimersByTime(999);
    expect(call.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(call.ended).toBe('idle');
    expect(call.classify(new Error('aborted'), 'body')).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      message: "the upstream sent nothing for 1 s, the gateway's limit for a silent stream",
      details: { limit: 'idle' },
    });
  });

  it('keeps one timer per call, re-armed lazily rather than per piece', () => {
    vi.useFakeTimers();
    const call = new CallSignal(live(), { idleMs: 1_000, deadline: Date.now() + 60_000 });
    expect(vi.getTimerCount()).toBe(1);
    for (let i = 0; i < 1_000; i++) {
      call.active();
      call.waiting();
    }
    expect(vi.getTimerCount()).toBe(1);
    call.release();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('formatDuration', () => {
  it('reads as a person would write it', () => {
    expect([formatDuration(250), formatDuration(1_000), formatDuration(1_500), formatDuration(600_000)]).toEqual(['250 ms', '1 s', '1.5 s', '600 s']);
  });
});

describe('isProxyFault', () => {
  const unreachable = (message: string) => new AppError('UPSTREAM_UNREACHABLE', 'x', { cause: new Error(message) });

  it('blames the proxy for connect failures and 407, not for an upstream the proxy could not reach', () => {
    expect(isProxyFault(unreachable('connect ECONNREFUSED'))).toBe(true);
    expect(isProxyFault(unreachable('Proxy response (407) !== 200 when HTTP Tunneling'))).toBe(true);
    expect(isProxyFault(unreachable('Proxy response (502) !== 200 when HTTP Tunneling'))).toBe(false);
    expect(isProxyFault(new AppError('UPSTREAM_TIMEOUT', 'slow'))).toBe(false);
  });
});
