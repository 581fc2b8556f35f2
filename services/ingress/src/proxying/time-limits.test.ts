import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { errorClassOf, formatDuration, requestLimitError, withLimitNamed } from './time-limits.js';

describe('time limits', () => {
  const stream = { stream: true, deadline: 1_000, timeLimitMs: 3_600_000 };
  const unary = { stream: false, deadline: 1_000, timeLimitMs: 660_000 };
  const late = new AppError('DEADLINE_EXCEEDED', 'provider-call did not answer in time');

  it("names the request's own limit once its deadline has passed, whoever noticed", () => {
    expect(withLimitNamed(late, stream, 1_000)).toMatchObject({ code: 'DEADLINE_EXCEEDED', message: "the stream reached the gateway's time limit for a stream (3600 s)" });
    expect(withLimitNamed(late, unary, 2_000)).toMatchObject({ code: 'DEADLINE_EXCEEDED', message: "no answer within the gateway's time limit for a request (660 s)" });
  });

  it('leaves a backend that stalled before the deadline, and other errors, as they are', () => {
    expect(withLimitNamed(late, unary, 999)).toBe(late);
    const refused = new AppError('UPSTREAM_UNREACHABLE', 'refused');
    expect(withLimitNamed(refused, unary, 5_000)).toBe(refused);
  });

  it('gives each limit its own error class in the request log', () => {
    expect(errorClassOf(requestLimitError(stream), true)).toBe('stream_timeout');
    expect(errorClassOf(requestLimitError(unary), false)).toBe('request_timeout');
    const upstream = new AppError('UPSTREAM_TIMEOUT', 'slow');
    expect(errorClassOf(upstream, true)).toBe('stream_idle_timeout');
    expect(errorClassOf(upstream, false)).toBe('call_timeout');
    expect(errorClassOf(new AppError('CANCELLED', 'gone'), false)).toBe('client_cancelled');
    expect(errorClassOf(late, false)).toBe('deadline_exceeded');
    expect(errorClassOf(new AppError('UPSTREAM_UNREACHABLE', 'x'), false)).toBe('upstream_unreachable');
  });

  it('formats durations for people', () => {
    expect([formatDuration(999), formatDuration(1_500), formatDuration(300_000)]).toEqual(['999 ms', '1.5 s', '300 s']);
  });
});
