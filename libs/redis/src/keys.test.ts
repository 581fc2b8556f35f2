import { describe, expect, it } from 'vitest';
import { redisKeys } from './keys.js';

/** The part of a key Redis Cluster hashes: between the first `{` and the next `}` (the whole key without one). */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('stored response keys', () => {
  it('scope a response and its item index by the client key, under one hash tag', () => {
    const response = redisKeys.storedResponse(7, 'resp_abc');
    const item = redisKeys.storedResponseItem(7, 'msg_1');
    expect(response).toBe('resp:key:{7}:resp_abc');
    expect(item).toBe('resp:key:{7}:item:msg_1');
    expect(hashTag(response)).toBe('7');
    expect(hashTag(item)).toBe('7');
  });

  it('never give two client keys the same key for one id', () => {
    expect(redisKeys.storedResponse(7, 'resp_abc')).not.toBe(redisKeys.storedResponse(8, 'resp_abc'));
    expect(redisKeys.storedResponseItem(7, 'msg_1')).not.toBe(redisKeys.storedResponseItem(8, 'msg_1'));
  });

  it('keep a client’s item id from changing the hash tag or reaching another key’s space', () => {
    const key = redisKeys.storedResponseItem(7, '{8}:resp_x');
    expect(hashTag(key)).toBe('7');
    expect(key.startsWith('resp:key:{7}:item:')).toBe(true);
  });

  it('keep items apart from responses (a response id always starts with resp_)', () => {
    expect(redisKeys.storedResponseItem(7, 'resp_abc')).not.toBe(redisKeys.storedResponse(7, 'resp_abc'));
  });
});
