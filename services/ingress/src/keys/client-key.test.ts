import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientKeyFrom, hashClientKey } from './client-key.js';

describe('clientKeyFrom', () => {
  it('reads a Bearer token or x-api-key, preferring x-api-key', () => {
    expect(clientKeyFrom({ authorization: 'Bearer abc' })).toBe('abc');
    expect(clientKeyFrom({ authorization: 'bearer   abc  ' })).toBe('abc');
    expect(clientKeyFrom({ 'x-api-key': 'xyz' })).toBe('xyz');
    expect(clientKeyFrom({ 'x-api-key': 'xyz', authorization: 'Bearer abc' })).toBe('xyz');
  });

  it('reads x-goog-api-key, and ?key= only after every header', () => {
    expect(clientKeyFrom({ 'x-goog-api-key': 'g' })).toBe('g');
    expect(clientKeyFrom({ 'x-goog-api-key': 'g', authorization: 'Bearer b' })).toBe('g');
    expect(clientKeyFrom({ 'x-api-key': 'a', 'x-goog-api-key': 'g' })).toBe('a');
    expect(clientKeyFrom({}, 'q')).toBe('q');
    expect(clientKeyFrom({ authorization: 'Bearer b' }, 'q')).toBe('b');
    expect(clientKeyFrom({}, ['q1', 'q2'])).toBeUndefined();
    expect(clientKeyFrom({}, ' ')).toBeUndefined();
  });

  it('finds nothing in other schemes or empty headers', () => {
    expect(clientKeyFrom({})).toBeUndefined();
    expect(clientKeyFrom({ authorization: 'Basic dXNlcjpwYXNz' })).toBeUndefined();
    expect(clientKeyFrom({ authorization: 'Bearer' })).toBeUndefined();
    expect(clientKeyFrom({ authorization: 'Bearer a b' })).toBeUndefined();
    expect(clientKeyFrom({ 'x-api-key': '  ' })).toBeUndefined();
  });

  it('hashes keys as sha256 hex', () => {
    expect(hashClientKey('aigw-k')).toBe(createHash('sha256').update('aigw-k').digest('hex'));
  });
});
