import { describe, expect, it } from 'vitest';
import { LookupPolicy } from './lookup-policy.js';

describe('LookupPolicy', () => {
  it('skips the lookup until an insert hits a stored id, then looks up until a batch finds none stored', () => {
    const policy = new LookupPolicy();
    expect(policy.lookUp).toBe(false);
    policy.insertHitStoredId();
    expect(policy.lookUp).toBe(true);
    policy.lookedUp(12);
    expect(policy.lookUp).toBe(true);
    policy.lookedUp(0);
    expect(policy.lookUp).toBe(false);
  });
});
