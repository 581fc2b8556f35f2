import { describe, expect, it } from 'vitest';
import { parseAuthSecret } from './auth-data.js';

const oauth = { clientId: 'c', clientSecret: 's', refreshToken: 'r', tokenUrl: 'http://t/token' };

describe('parseAuthSecret', () => {
  it('reads each auth type', () => {
    expect(parseAuthSecret(1, 'api_key', { apiKey: 'k' })).toEqual({ authType: 'api_key', apiKey: 'k' });
    expect(parseAuthSecret(1, 'bearer', { token: 't' })).toEqual({ authType: 'bearer', token: 't' });
    expect(parseAuthSecret(1, 'oauth', oauth)).toEqual({ authType: 'oauth', oauth });
  });

  it('reads a public client (no secret) and the JSON token request format', () => {
    const { clientSecret: _none, ...publicClient } = oauth;
    expect(parseAuthSecret(1, 'oauth', { ...publicClient, tokenRequestFormat: 'json' })).toEqual({
      authType: 'oauth',
      oauth: { ...publicClient, tokenRequestFormat: 'json' },
    });
    expect(parseAuthSecret(1, 'oauth', { ...oauth, tokenRequestFormat: 'xml' })).toEqual({ authType: 'oauth', oauth });
  });

  it('keeps a stored access token only together with its expiry', () => {
    expect(parseAuthSecret(1, 'oauth', { ...oauth, accessToken: 'a', expiresAt: 5 })).toEqual({
      authType: 'oauth',
      oauth: { ...oauth, accessToken: 'a', expiresAt: 5 },
    });
    expect(parseAuthSecret(1, 'oauth', { ...oauth, accessToken: 'a' })).toEqual({ authType: 'oauth', oauth });
  });

  it('names what is missing without echoing any value', () => {
    expect(() => parseAuthSecret(7, 'api_key', { token: 'secret-value' })).toThrow('credentials of account 7 are malformed (missing apiKey)');
    expect(() => parseAuthSecret(7, 'oauth', { clientId: 'c', refreshToken: 'secret-value' })).toThrow(
      'credentials of account 7 are malformed (missing tokenUrl)',
    );
    expect(() => parseAuthSecret(7, 'password', {})).toThrow('unknown auth type "password"');
    expect(() => parseAuthSecret(7, 'api_key', 'secret-value')).toThrow('not a JSON object');
  });
});
