import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './create-redis.js';
import { RedisOutage } from './redis-outage.js';

describe('RedisOutage', () => {
  it('skips Redis after a failure except one probe per interval, and reports the outage once each way', async () => {
    let now = 0;
    const events: string[] = [];
    const outage = new RedisOutage({ probeIntervalMs: 250, now: () => now, onDown: () => events.push('down'), onUp: (ms) => events.push(`up ${ms}`) });
    const fail = () => Promise.reject(new Error('Command timed out'));
    await expect(outage.run(fail)).rejects.toThrow('Command timed out');
    await expect(outage.run(fail)).resolves.toBeUndefined();
    now = 100;
    expect(outage.shouldTry()).toBe(false);
    now = 250;
    await expect(outage.run(fail)).rejects.toThrow();
    expect(outage.shouldTry()).toBe(false);
    now = 600;
    await expect(outage.run(() => Promise.resolve(7))).resolves.toEqual({ value: 7 });
    expect(outage.down).toBe(false);
    expect(outage.shouldTry()).toBe(true);
    expect(events).toEqual(['down', 'up 600']);
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 50 ms and stays at one second', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(reconnectDelayMs)).toEqual([50, 100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });
});
