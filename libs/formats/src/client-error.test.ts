import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '@aigw/errors';
import { CLIENT_FORMATS, errorCodeOfStatus } from './index.js';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('error shapes', () => {
  it('render every error code in each format’s own shape', () => {
    for (const code of codes) {
      const error = { status: ERROR_CODES[code], message: 'm', code };
      expect(CLIENT_FORMATS.openai.errorBody(error)).toEqual({ error: { message: 'm', type: expect.any(String), param: null, code: expect.any(String) } });
      expect(CLIENT_FORMATS.anthropic.errorBody(error)).toEqual({ type: 'error', error: { type: expect.any(String), message: 'm' } });
      expect(CLIENT_FORMATS.gemini.errorBody(error)).toEqual({ error: { code: ERROR_CODES[code], message: 'm', status: expect.stringMatching(/^[A-Z_]+$/) } });
    }
  });

  it('name an upstream’s bare status like the gateway’s own error of that kind', () => {
    const pairs: [number, string, string, string, string][] = [
      [400, 'invalid_request_error', 'invalid_request', 'invalid_request_error', 'INVALID_ARGUMENT'],
      [401, 'invalid_request_error', 'invalid_api_key', 'authentication_error', 'UNAUTHENTICATED'],
      [403, 'invalid_request_error', 'permission_denied', 'permission_error', 'PERMISSION_DENIED'],
      [404, 'invalid_request_error', 'model_not_found', 'not_found_error', 'NOT_FOUND'],
      [413, 'invalid_request_error', 'request_too_large', 'request_too_large', 'INVALID_ARGUMENT'],
      [429, 'rate_limit_error', 'rate_limit_exceeded', 'rate_limit_error', 'RESOURCE_EXHAUSTED'],
      [500, 'server_error', 'internal_error', 'api_error', 'INTERNAL'],
      [503, 'server_error', 'service_unavailable', 'overloaded_error', 'UNAVAILABLE'],
      [504, 'server_error', 'upstream_timeout', 'timeout_error', 'DEADLINE_EXCEEDED'],
      [529, 'server_error', 'service_unavailable', 'overloaded_error', 'UNAVAILABLE'],
      [418, 'invalid_request_error', 'invalid_request', 'invalid_request_error', 'INVALID_ARGUMENT'],
    ];
    for (const [status, openaiType, openaiCode, anthropicType, geminiStatus] of pairs) {
      const error = { status, message: 'upstream said no' };
      expect(CLIENT_FORMATS.openai.errorBody(error)).toEqual({ error: { message: 'upstream said no', type: openaiType, param: null, code: openaiCode } });
      expect(CLIENT_FORMATS.anthropic.errorBody(error)).toEqual({ type: 'error', error: { type: anthropicType, message: 'upstream said no' } });
      expect(CLIENT_FORMATS.gemini.errorBody(error)).toEqual({ error: { code: status, message: 'upstream said no', status: geminiStatus } });
    }
  });

  it('an own code wins over the status, and Gemini never answers a code below 400', () => {
    expect(errorCodeOfStatus(404)).toBe('MODEL_NOT_FOUND');
    expect(CLIENT_FORMATS.openai.errorBody({ status: 404, message: 'no route', code: 'NOT_FOUND' })).toMatchObject({ error: { code: 'not_found' } });
    expect(CLIENT_FORMATS.gemini.errorBody({ status: 0, message: 'x' })).toEqual({ error: { code: 500, message: 'x', status: 'INTERNAL' } });
    expect(CLIENT_FORMATS.openai.errorBody({ status: 400, message: 'bad', param: 'model' })).toMatchObject({ error: { param: 'model' } });
  });

  it('give each format’s stream error event', () => {
    const error = { status: 502, message: 'broke', code: 'UPSTREAM_ERROR' as const };
    expect(CLIENT_FORMATS.openai.errorEvent(error)).toEqual({ data: '{"error":{"message":"broke","type":"server_error","param":null,"code":"upstream_error"}}' });
    expect(CLIENT_FORMATS.anthropic.errorEvent(error)).toEqual({ event: 'error', data: '{"type":"error","error":{"type":"api_error","message":"broke"}}' });
    expect(CLIENT_FORMATS.gemini.errorEvent(error)).toEqual({ data: '{"error":{"code":502,"message":"broke","status":"INTERNAL"}}' });
  });
});
