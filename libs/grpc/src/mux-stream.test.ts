import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { MUX_STREAM_WINDOW } from './mux-envelope.js';
import { MuxStream } from './mux-stream.js';
import { StreamCredit } from './mux-stream-credit.js';

async function drain<T>(stream: AsyncIterable<T>): Promise<{ read: T[]; error?: unknown }> {
  const read: T[] = [];
  try {
    for await (const message of stream) read.push(message);
    return { read };
  } catch (error) {
    return { read, error };
  }
}

describe('MuxStream', () => {
  it('hands over queued messages in order before the end or the error that came after them', async () => {
    const ended = new MuxStream<number>(() => undefined, () => undefined);
    [1, 2, 3].forEach((n) => ended.push(n));
    ended.finish();
    expect(await drain(ended)).toEqual({ read: [1, 2, 3] });

    const failed = new MuxStream<number>(() => undefined, () => undefined);
    failed.push(1);
    failed.fail(new AppError('UPSTREAM_ERROR', 'broke'));
    failed.push(2); // nothing after the end counts
    const { read, error } = await drain(failed);
    expect(read).toEqual([1]);
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('grants credit as messages are read, half a window at a time, and not once the stream is over', async () => {
    const grants: number[] = [];
    const stream = new MuxStream<number>((n) => grants.push(n), () => undefined);
    for (let i = 0; i < MUX_STREAM_WINDOW; i++) stream.push(i);
    expect(grants).toEqual([]); // received is not read
    const iterator = stream[Symbol.asyncIterator]();
    for (let i = 0; i < MUX_STREAM_WINDOW / 2; i++) await iterator.next();
    expect(grants).toEqual([MUX_STREAM_WINDOW / 2]);
    stream.finish();
    for (let i = 0; i < MUX_STREAM_WINDOW / 2; i++) await iterator.next();
    expect(grants).toEqual([MUX_STREAM_WINDOW / 2]);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('gives a waiting reader the next message at once, and stops the call when the reader leaves early', async () => {
    let stops = 0;
    const stream = new MuxStream<string>(() => undefined, () => (stops += 1));
    const iterator = stream[Symbol.asyncIterator]();
    const next = iterator.next();
    stream.push('a');
    expect(await next).toEqual({ value: 'a', done: false });
    await iterator.return?.();
    expect(stops).toBe(1);
    stream.finish();
    stream.cancel(); // over: nothing left to stop
    expect(stops).toBe(1);
  });
});

describe('StreamCredit', () => {
  it('lets a window of writes through, holds the next until credit comes, and releases it when the call ends', async () => {
    const credit = new StreamCredit();
    for (let i = 0; i < MUX_STREAM_WINDOW; i++) expect(credit.take()).toBeUndefined();
    let passed = 0;
    const held = credit.take()?.then(() => (passed += 1));
    await Promise.resolve();
    expect(passed).toBe(0);
    credit.grant(1);
    await held;
    expect(passed).toBe(1);

    const waiting = credit.take();
    expect(waiting).toBeInstanceOf(Promise);
    credit.end();
    await waiting;
    expect(credit.take()).toBeUndefined();
  });
});
