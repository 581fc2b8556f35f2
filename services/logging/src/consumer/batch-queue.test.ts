import { describe, expect, it } from 'vitest';
import { BatchQueue } from './batch-queue.js';

describe('BatchQueue', () => {
  it('hands out a full batch without waiting for the timer', async () => {
    const queue = new BatchQueue<number>(3);
    for (const n of [1, 2, 3, 4]) queue.push(n);
    // A wait far longer than the test timeout proves the full batch did not wait.
    expect(await queue.take(3_600_000)).toEqual([1, 2, 3]);
  });

  it('hands out a partial batch once the wait has passed', async () => {
    const queue = new BatchQueue<number>(100);
    expect(queue.push(1)).toBeUndefined();
    expect(await queue.take(1)).toEqual([1]);
  });

  it('waits for a first item however long it takes', async () => {
    const queue = new BatchQueue<string>(2);
    const taken = queue.take(1);
    setTimeout(() => {
      queue.push('a');
      queue.push('b');
    }, 5);
    expect(await taken).toEqual(['a', 'b']);
  });

  it('drains what is left after close, then returns empty batches', async () => {
    const queue = new BatchQueue<number>(2);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    queue.close();
    expect(await queue.take(3_600_000)).toEqual([1, 2]);
    expect(await queue.take(3_600_000)).toEqual([3]);
    expect(await queue.take(3_600_000)).toEqual([]);
  });

  it('holds pushers at the high water mark until a batch is taken', async () => {
    const queue = new BatchQueue<number>(2, 3);
    let released = false;
    expect(queue.push(1)).toBeUndefined();
    expect(queue.push(2)).toBeUndefined();
    const third = queue.push(3)!.then(() => {
      released = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(false);
    await queue.take(0);
    await third;
    expect(released).toBe(true);
    expect(queue.size).toBe(1);
  });
});
