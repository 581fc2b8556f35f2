import { describe, expect, it } from 'vitest';
import { MuxCallContext } from './mux-call-context.js';

describe('MuxCallContext', () => {
  it('aborts a signal taken before the cancel', () => {
    const ctx = new MuxCallContext(123);
    const signal = ctx.signal;
    ctx.abort(new Error('gone'));
    expect([signal.aborted, ctx.aborted, ctx.deadline]).toEqual([true, true, 123]);
    expect((signal.reason as Error).message).toBe('gone');
  });

  it('hands out an already aborted signal after the cancel', () => {
    const ctx = new MuxCallContext(Infinity);
    ctx.abort(new Error('gone'));
    expect(ctx.signal.aborted).toBe(true);
    expect((ctx.signal.reason as Error).message).toBe('gone');
  });
});
