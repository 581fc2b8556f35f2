import { describe, expect, it } from 'vitest';
import { redisAccess, redisConnectionOptions } from './redis-access.js';

const files: Record<string, string> = { '/ca.pem': 'CA', '/client.pem': 'CERT', '/client.key': 'KEY' };
const readFile = (path: string): Buffer => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
  return Buffer.from(content);
};

describe('redisConnectionOptions', () => {
  it('gives nothing for a plain URL without settings', () => {
    expect(redisConnectionOptions('redis://127.0.0.1:6379', {}, readFile)).toEqual({});
  });

  it('takes user and password from the URL, decoded, and lets the settings win', () => {
    expect(redisConnectionOptions('redis://app:p%40ss@h:6379', {}, readFile)).toEqual({ username: 'app', password: 'p@ss' });
    expect(redisConnectionOptions('redis://:fromurl@h:6379', { password: 'fromsetting' }, readFile)).toEqual({ password: 'fromsetting' });
    expect(redisConnectionOptions('redis://h', { username: 'gw', password: 'pw' }, readFile)).toEqual({ username: 'gw', password: 'pw' });
  });

  it('turns TLS on for rediss://, REDIS_TLS or a TLS file, with the files read', () => {
    expect(redisConnectionOptions('rediss://h:6380', {}, readFile)).toEqual({ tls: {} });
    expect(redisConnectionOptions('redis://h', { tls: true }, readFile)).toEqual({ tls: {} });
    const options = redisConnectionOptions('redis://h', { caFile: '/ca.pem', certFile: '/client.pem', keyFile: '/client.key' }, readFile);
    expect(options.tls).toEqual({ ca: Buffer.from('CA'), cert: Buffer.from('CERT'), key: Buffer.from('KEY') });
  });

  it('fails at start, naming the file, when a TLS file is missing', () => {
    expect(() => redisConnectionOptions('redis://h', { caFile: '/nope.pem' }, readFile)).toThrow('Redis TLS: cannot read the ca file /nope.pem (ENOENT)');
  });

  it('maps the REDIS_* settings', () => {
    const access = redisAccess({
      REDIS_USERNAME: 'u',
      REDIS_PASSWORD: 'p',
      REDIS_TLS: false,
      REDIS_TLS_CA_FILE: '/ca.pem',
      REDIS_TLS_CERT_FILE: '',
      REDIS_TLS_KEY_FILE: '',
    });
    expect(redisConnectionOptions('redis://h', access, readFile)).toEqual({ username: 'u', password: 'p', tls: { ca: Buffer.from('CA') } });
  });
});
