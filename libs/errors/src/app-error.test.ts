import { describe, expect, it } from 'vitest';
import { AppError, toAppError } from './index.js';

describe('AppError', () => {
  it('carries code, HTTP status, retry hint and cause', () => {
    const cause = new Error('boom');
    const err = new AppError('ACCOUNTS_EXHAUSTED', 'all accounts cooling down', { cause, retryAfterMs: 1500 });
    expect(err.httpStatus).toBe(429);
    expect(err.retryAfterMs).toBe(1500);
    expect(err.cause).toBe(cause);
    expect(err).toBeInstanceOf(Error);
  });

  it('wraps unknown errors as INTERNAL without leaking their message', () => {
    const wrapped = toAppError(new Error('password=hunter2'));
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).toBe('internal error');
    expect(toAppError(wrapped)).toBe(wrapped);
  });
});
