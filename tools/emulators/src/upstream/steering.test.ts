import { describe, expect, it } from 'vitest';
import { ScriptBook, parseScriptRule } from './script-rules.js';
import { mergeSteering, parseDirective, steeringFromHeaders } from './steering.js';

describe('parseDirective', () => {
  it('reads every key', () => {
    expect(parseDirective('hi [emu status=503 retry_after=2 delay_ms=50 die_after_bytes=100 chunks=20 chunk_delay_ms=10] there')).toEqual({
      status: 503,
      retryAfterSeconds: 2,
      delayMs: 50,
      dieAfterBytes: 100,
      chunks: 20,
      chunkDelayMs: 10,
    });
  });

  it('reads a quota reset', () => {
    expect(parseDirective('[emu quota_reset=3600]')).toEqual({ quotaResetSeconds: 3600 });
    expect(steeringFromHeaders({ 'x-emu-quota-reset': '90' })).toEqual({ quotaResetSeconds: 90 });
  });

  it('reads a mid-stream pause', () => {
    expect(parseDirective('[emu pause_after=3 pause_ms=1500]')).toEqual({ pauseAfterEvents: 3, pauseMs: 1500 });
    expect(steeringFromHeaders({ 'x-emu-pause-after': '0', 'x-emu-pause-ms': '200' })).toEqual({ pauseAfterEvents: 0, pauseMs: 200 });
  });

  it('ignores unknown keys and bad values, later directives win', () => {
    expect(parseDirective('[emu status=99 foo=1 chunks=0 delay_ms=x] [emu status=429]')).toEqual({ status: 429 });
    expect(parseDirective('no directive')).toBeUndefined();
    expect(parseDirective('[emulator status=500]')).toBeUndefined();
  });
});

describe('steeringFromHeaders / mergeSteering', () => {
  it('reads x-emu-* headers', () => {
    expect(steeringFromHeaders({ 'x-emu-status': '429', 'x-emu-retry-after': '3', 'x-emu-chunks': '2' })).toEqual({
      status: 429,
      retryAfterSeconds: 3,
      chunks: 2,
    });
    expect(steeringFromHeaders({ accept: '*/*' })).toBeUndefined();
  });

  it('lets later defined values win', () => {
    expect(mergeSteering({ status: 500, delayMs: 5 }, undefined, { status: 429 })).toEqual({ status: 429, delayMs: 5 });
  });
});

describe('ScriptBook', () => {
  const ctx = { credential: 'k1', model: 'm', path: '/v1/chat/completions' };

  it('applies the first matching rule and expires it after `times`', () => {
    const book = new ScriptBook();
    book.add({ match: { credential: 'other' }, status: 500 });
    book.add({ match: { credential: 'k1', model: 'm' }, status: 429, retryAfterSeconds: 1, times: 2 });
    expect(book.take(ctx)).toEqual({ status: 429, retryAfterSeconds: 1 });
    expect(book.list()[1]?.remaining).toBe(1);
    expect(book.take(ctx)).toEqual({ status: 429, retryAfterSeconds: 1 });
    expect(book.take(ctx)).toBeUndefined();
    expect(book.list()).toHaveLength(1);
  });

  it('rejects malformed rules', () => {
    expect(() => parseScriptRule({ status: 'x' })).toThrow(/status/);
    expect(() => parseScriptRule({ times: 0 })).toThrow(/times/);
    expect(() => parseScriptRule({ match: { model: 1 } })).toThrow(/match.model/);
  });
});
