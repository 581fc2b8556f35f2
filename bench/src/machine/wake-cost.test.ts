import { describe, expect, it } from 'vitest';
import { measureWakeCost } from './wake-cost.js';

describe('measureWakeCost', () => {
  it('measures round trips to a real echo process, back to back and after idle gaps, with its CPU per message', async () => {
    const started = Date.now();
    const costs = await measureWakeCost([0, 5], 100);
    expect(costs.map((c) => [c.gapMs, c.messages])).toEqual([
      [0, 100],
      [5, 100],
    ]);
    for (const cost of costs) {
      expect(cost.roundTripP50Us).toBeGreaterThan(0);
      expect(Number.isFinite(cost.echoCpuUsPerMessage)).toBe(true);
      expect(cost.echoCpuUsPerMessage).toBeGreaterThanOrEqual(0);
    }
    // The gaps really were idle time: 100 messages after 5 ms each.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });
});
