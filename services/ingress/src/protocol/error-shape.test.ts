import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES, type ErrorCode } from '@aigw/errors';
import { errorBody, errorEvent, toClientError } from './error-shape.js';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('client error shapes', () => {
  it('renders every code in both protocols with its HTTP status', () => {
    for (const code of codes) {
      const openai = toClientError('openai', new AppError(code, 'msg'));
      expect(openai.status).toBe(ERROR_CODES[code]);
      expect(openai.body).toEqual({ error: { message: expect.any(String), type: expect.any(String), param: null, code: expect.any(String) } });
      const anthropic = toClientError('anthropic', new AppError(code, 'msg'));
      expect(anthropic.body).toEqual({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } });
      const gemini = toClientError('gemini', new AppError(code, 'msg'));
      expect(gemini.status).toBe(ERROR_CODES[code]);
      expect(gemini.body).toEqual({ error: { code: ERROR_CODES[code], message: expect.any(String), status: expect.stringMatching(/^[A-Z_]+$/) } });
    }
  });

  it('uses google.rpc.Code names for Gemini clients', () => {
    const pairs: [ErrorCode, number, string][] = [
      ['INVALID_REQUEST', 400, 'INVALID_ARGUMENT'],
      ['UNAUTHENTICATED', 401, 'UNAUTHENTICATED'],
      ['PERMISSION_DENIED', 403, 'PERMISSION_DENIED'],
      ['MODEL_NOT_FOUND', 404, 'NOT_FOUND'],
      ['NO_ACCOUNT', 404, 'NOT_FOUND'],
      ['RATE_LIMITED', 429, 'RESOURCE_EXHAUSTED'],
      ['ACCOUNTS_EXHAUSTED', 429, 'RESOURCE_EXHAUSTED'],
      ['BUDGET_EXCEEDED', 429, 'RESOURCE_EXHAUSTED'],
      ['INTERNAL', 500, 'INTERNAL'],
      ['UPSTREAM_UNREACHABLE', 502, 'UNAVAILABLE'],
      ['UNAVAILABLE', 503, 'UNAVAILABLE'],
      ['DEADLINE_EXCEEDED', 504, 'DEADLINE_EXCEEDED'],
    ];
    for (const [code, status, name] of pairs) {
      expect(errorBody('gemini', new AppError(code, 'm'))).toEqual({ error: { code: status, message: code === 'INTERNAL' ? 'internal error' : 'm', status: name } });
    }
  });

  it('uses each protocol’s own names for the common cases', () => {
    const pairs: [ErrorCode, string, string, string][] = [
      ['INVALID_REQUEST', 'invalid_request_error', 'invalid_request', 'invalid_request_error'],
      ['UNAUTHENTICATED', 'invalid_request_error', 'invalid_api_key', 'authentication_error'],
      ['MODEL_NOT_FOUND', 'invalid_request_error', 'model_not_found', 'not_found_error'],
      ['RATE_LIMITED', 'rate_limit_error', 'rate_limit_exceeded', 'rate_limit_error'],
      ['BUDGET_EXCEEDED', 'insufficient_quota', 'budget_exceeded', 'rate_limit_error'],
      ['PAYLOAD_TOO_LARGE', 'invalid_request_error', 'request_too_large', 'request_too_large'],
      ['INTERNAL', 'server_error', 'internal_error', 'api_error'],
    ];
    for (const [code, openaiType, openaiCode, anthropicType] of pairs) {
      expect(errorBody('openai', new AppError(code, 'm'))).toMatchObject({ error: { type: openaiType, code: openaiCode } });
      expect(errorBody('anthropic', new AppError(code, 'm'))).toMatchObject({ error: { type: anthropicType } });
    }
  });

  it('never shows the message of an internal error', () => {
    const body = errorBody('openai', new AppError('INTERNAL', 'db password=hunter2 refused'));
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('names the offending parameter for OpenAI clients', () => {
    const body = errorBody('openai', new AppError('INVALID_REQUEST', 'bad', { details: { param: 'model' } }));
    expect(body).toMatchObject({ error: { param: 'model' } });
  });

  it('sets Retry-After in whole seconds, rounding up', () => {
    expect(toClientError('openai', new AppError('ACCOUNTS_EXHAUSTED', 'x', { retryAfterMs: 1_200 })).headers).toEqual({ 'retry-after': '2' });
    expect(toClientError('openai', new AppError('ACCOUNTS_EXHAUSTED', 'x', { retryAfterMs: 10 })).headers).toEqual({ 'retry-after': '1' });
    expect(toClientError('openai', new AppError('INVALID_REQUEST', 'x')).headers).toEqual({});
  });

  it('gives the error event of each protocol, for its sink to frame', () => {
    const error = new AppError('UPSTREAM_ERROR', 'broke');
    expect(errorEvent('openai', error)).toEqual({ data: '{"error":{"message":"broke","type":"server_error","param":null,"code":"upstream_error"}}' });
    expect(errorEvent('anthropic', error)).toEqual({ event: 'error', data: '{"type":"error","error":{"type":"api_error","message":"broke"}}' });
    expect(errorEvent('gemini', error)).toEqual({ data: '{"error":{"code":502,"message":"broke","status":"INTERNAL"}}' });
    expect(JSON.stringify(errorEvent('openai', new AppError('INTERNAL', 'secret=1')))).not.toContain('secret');
  });
});
