import { describe, expect, it } from 'vitest';
import type { AppError } from '@aigw/errors';
import { interpretTokenResponse } from './token-endpoint.js';

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a failure');
};

describe('interpretTokenResponse', () => {
  it('reads the access token, its lifetime and a rotated refresh token', () => {
    expect(interpretTokenResponse(1, 200, { access_token: 'a', expires_in: 3599, refresh_token: 'r2', token_type: 'Bearer' })).toEqual({
      accessToken: 'a',
      expiresInMs: 3_599_000,
      refreshToken: 'r2',
    });
  });

  it('assumes an hour when the lifetime is missing and keeps the refresh token when none is sent', () => {
    expect(interpretTokenResponse(1, 200, { access_token: 'a' })).toEqual({ accessToken: 'a', expiresInMs: 3_600_000 });
  });

  it('maps invalid_grant to UNAUTHENTICATED naming the account, not the token', () => {
    const error = failure(() => interpretTokenResponse(4, 400, { error: 'invalid_grant', error_description: 'Token r-secret revoked' }));
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'oauth refresh rejected for account 4', details: { oauthError: 'invalid_grant' } });
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('r-secret');
  });

  it('maps a failing or confused endpoint to UNAVAILABLE', () => {
    expect(failure(() => interpretTokenResponse(4, 503, undefined)).code).toBe('UNAVAILABLE');
    expect(failure(() => interpretTokenResponse(4, 429, {})).code).toBe('UNAVAILABLE');
    expect(failure(() => interpretTokenResponse(4, 200, { token_type: 'Bearer' })).code).toBe('UNAVAILABLE');
  });
});
