import { describe, expect, it } from 'vitest';
import { requestIdFor } from './request-id.js';

describe('requestIdFor', () => {
  it('reuses a safe client id', () => {
    expect(requestIdFor('req_01.AB-9')).toBe('req_01.AB-9');
    expect(requestIdFor('a'.repeat(64))).toBe('a'.repeat(64));
  });

  it('generates a UUID for missing, long, unsafe or repeated headers', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const header of [undefined, '', 'a'.repeat(65), 'has space', 'new\nline', ['a', 'b']]) {
      expect(requestIdFor(header)).toMatch(uuid);
    }
    expect(requestIdFor(undefined)).not.toBe(requestIdFor(undefined));
  });
});
