import { describe, expect, it } from 'vitest';
import { parseCooldownRecord, parseLastErrorRecord } from './account-state.js';

describe('stored account state', () => {
  it('reads the JSON the selector writes, quota reset included', () => {
    const text = JSON.stringify({ accountId: 3, model: 'm', reason: 'quota_exhausted', until: 1_800_000_000_000, source: 'quota-reset', resetAt: 1_800_000_000_000 });
    expect(parseCooldownRecord(text)).toEqual({ accountId: 3, model: 'm', reason: 'quota_exhausted', until: 1_800_000_000_000, source: 'quota-reset', resetAt: 1_800_000_000_000 });
    expect(parseLastErrorRecord(JSON.stringify({ class: 'timeout', status: 0, at: 5, message: 'no answer' }))).toEqual({ class: 'timeout', status: 0, at: 5, message: 'no answer' });
  });

  it('ignores what it cannot read (a cooldown an older selector wrote as "1", garbage, nothing)', () => {
    expect(parseCooldownRecord('1')).toBeUndefined();
    expect(parseCooldownRecord('{"model":"m"}')).toBeUndefined();
    expect(parseLastErrorRecord(null)).toBeNull();
    expect(parseLastErrorRecord('not json')).toBeNull();
  });
});
