import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { CallSignal, isProxyFault } from './call-signal.js';

describe('CallSignal', () => {
  it('tells a caller cancellation from a timeout and from a network failure', async () => {
    const caller = new AbortController();
    const cancelled = new CallSignal(caller.signal, 60_000);
    caller.abort();
    expect(cancelled.signal.aborted).toBe(true);
    expect(cancelled.classify(new Error('aborted'), 'connect').code).toBe('CANCELLED');
    cancelled.release();

    const timed = new CallSignal(new AbortController().signal, 1);
    await new Promise<void>((resolve) => timed.signal.addEventListener('abort', () => resolve(), { once: true }));
    expect(timed.classify(new Error('aborted'), 'body').code).toBe('UPSTREAM_TIMEOUT');

    const plain = new CallSignal(new AbortController().signal, 60_000);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(plain.classify(refused, 'connect')).toMatchObject({ code: 'UPSTREAM_UNREACHABLE', message: 'upstream unreachable (connect ECONNREFUSED 127.0.0.1:9)' });
    expect(plain.classify(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'connect').code).toBe('UPSTREAM_TIMEOUT');
    expect(plain.classify(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'body').code).toBe('UPSTREAM_ERROR');
    plain.release();
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
