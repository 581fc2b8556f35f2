import { describe, expect, it } from 'vitest';
import { busAccess, busConnectionOptions } from './bus-access.js';

const files: Record<string, string> = { '/ca.pem': 'CA', '/client.pem': 'CERT', '/client.key': 'KEY', '/user.creds': 'CREDS' };
const readFile = (path: string): Buffer => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
  return Buffer.from(content);
};
const plain = ['nats://127.0.0.1:4222'];

describe('busConnectionOptions', () => {
  it('gives nothing without settings', () => {
    expect(busConnectionOptions(plain, {}, readFile)).toEqual({});
    expect(busConnectionOptions(plain, busAccess(config({})), readFile)).toEqual({});
  });

  it('passes user and password, or a token', () => {
    expect(busConnectionOptions(plain, { user: 'gw', password: 'pw' }, readFile)).toEqual({ user: 'gw', pass: 'pw' });
    expect(busConnectionOptions(plain, { token: 't0k' }, readFile)).toEqual({ token: 't0k' });
  });

  it('signs the nonce with an NKEY seed or a .creds file', () => {
    expect(typeof busConnectionOptions(plain, { nkeySeed: 'SUAM' }, readFile).authenticator).toBe('function');
    expect(typeof busConnectionOptions(plain, { credsFile: '/user.creds' }, readFile).authenticator).toBe('function');
  });

  it('refuses several kinds of credentials, a password without a user, and an unreadable creds file', () => {
    expect(() => busConnectionOptions(plain, { user: 'gw', password: 'pw', token: 't' }, readFile)).toThrow(
      'give one of NATS_USER/NATS_PASSWORD, NATS_TOKEN, not several',
    );
    expect(() => busConnectionOptions(plain, { password: 'pw' }, readFile)).toThrow('NATS_PASSWORD needs NATS_USER');
    expect(() => busConnectionOptions(plain, { credsFile: '/missing.creds' }, readFile)).toThrow('NATS_CREDS_FILE: cannot read /missing.creds (ENOENT)');
  });

  it('requires TLS for tls:// servers, NATS_TLS or a TLS file, with the PEM files read', () => {
    expect(busConnectionOptions(['nats://a:4222', 'tls://b:4222'], {}, readFile)).toEqual({ tls: {} });
    expect(busConnectionOptions(plain, { tls: true }, readFile)).toEqual({ tls: {} });
    expect(busConnectionOptions(plain, { caFile: '/ca.pem', certFile: '/client.pem', keyFile: '/client.key' }, readFile)).toEqual({
      tls: { ca: 'CA', cert: 'CERT', key: 'KEY' },
    });
    expect(() => busConnectionOptions(plain, { caFile: '/nope.pem' }, readFile)).toThrow('NATS_TLS_CA_FILE: cannot read /nope.pem (ENOENT)');
  });
});

function config(overrides: Partial<Parameters<typeof busAccess>[0]>): Parameters<typeof busAccess>[0] {
  return {
    NATS_USER: '',
    NATS_PASSWORD: '',
    NATS_TOKEN: '',
    NATS_NKEY_SEED: '',
    NATS_CREDS_FILE: '',
    NATS_TLS: false,
    NATS_TLS_CA_FILE: '',
    NATS_TLS_CERT_FILE: '',
    NATS_TLS_KEY_FILE: '',
    ...overrides,
  };
}
