import { describe, expect, it } from 'vitest';
import { decodeGoogleError, durationMs, googleErrorBody } from './google-errors.js';

describe('decodeGoogleError', () => {
  it('reads the message and the RetryInfo delay', () => {
    const body = JSON.stringify({
      error: {
        code: 429,
        message: 'Resource has been exhausted',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }],
      },
    });
    expect(decodeGoogleError(429, body)).toEqual({ status: 429, message: 'Resource has been exhausted', retryAfterMs: 1500 });
    expect(decodeGoogleError(400, `[${JSON.stringify({ error: { message: 'bad' } })}]`).message).toBe('bad');
    expect(decodeGoogleError(502, '<html>Bad Gateway</html>').message).toBe('upstream answered with status 502 and an error body in no known error format');
  });

  it('parses protobuf durations', () => {
    expect(durationMs('2s')).toBe(2000);
    expect(durationMs('0.250s')).toBe(250);
    expect(durationMs('soon')).toBeUndefined();
  });
});

describe('googleErrorBody', () => {
  it('writes {error:{code,message,status}} with the google.rpc status of the HTTP status', () => {
    expect(JSON.parse(googleErrorBody({ status: 429, message: 'quota' }))).toEqual({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } });
    expect(JSON.parse(googleErrorBody({ status: 0, message: 'x' })).error.code).toBe(500);
  });
});
