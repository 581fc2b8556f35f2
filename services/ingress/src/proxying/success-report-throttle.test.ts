import { describe, expect, it } from 'vitest';
import { SuccessReportThrottle } from './success-report-throttle.js';

describe('SuccessReportThrottle', () => {
  it('reports the first success, then at most once per interval', () => {
    let now = 0;
    const throttle = new SuccessReportThrottle(5_000, () => now);
    expect(throttle.shouldReport(1, 'm')).toBe(true);
    expect(throttle.shouldReport(1, 'm')).toBe(false);
    expect(throttle.shouldReport(2, 'm')).toBe(true);
    expect(throttle.shouldReport(1, 'other')).toBe(true);
    now = 5_000;
    expect(throttle.shouldReport(1, 'm')).toBe(true);
  });

  it('reports the first success after a failure at once', () => {
    const throttle = new SuccessReportThrottle(60_000, () => 0);
    expect(throttle.shouldReport(1, 'm')).toBe(true);
    throttle.failed(1, 'm');
    expect(throttle.shouldReport(1, 'm')).toBe(true);
    expect(throttle.shouldReport(1, 'm')).toBe(false);
  });

  it('reports every success when the interval is 0', () => {
    const throttle = new SuccessReportThrottle(0);
    expect([1, 2, 3].map(() => throttle.shouldReport(1, 'm'))).toEqual([true, true, true]);
  });
});
