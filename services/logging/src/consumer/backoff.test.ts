import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles from the minimum up to the maximum and starts over after reset', () => {
    const backoff = new Backoff(100, 500);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 200, 400, 500]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('ends every pending wait on interrupt, and later waits at once', async () => {
    const backoff = new Backoff(1, 2);
    const waits = [backoff.wait(3_600_000), backoff.wait(3_600_000)];
    backoff.interrupt();
    await Promise.all(waits);
    await backoff.wait(3_600_000);
  });
});
