import { describe, expect, it } from 'vitest';
import { decodeOpenAiError, openAiErrorBody } from './openai-errors.js';

describe('openai errors', () => {
  it('writes the OpenAI error shape with the type and code of the status', () => {
    expect(JSON.parse(openAiErrorBody({ status: 401, message: 'bad key' }))).toEqual({
      error: { message: 'bad key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    });
  });

  it('reads messages from OpenAI-compatible error bodies, whatever their exact shape', () => {
    expect(decodeOpenAiError(429, '{"error":{"message":"Rate limit reached","type":"requests"}}')).toEqual({ status: 429, message: 'Rate limit reached' });
    expect(decodeOpenAiError(400, '{"error":"model not loaded"}').message).toBe('model not loaded');
    expect(decodeOpenAiError(400, '{"message":"bad input","code":1214}').message).toBe('bad input');
    expect(decodeOpenAiError(502, '')).toEqual({ status: 502, message: 'upstream answered with status 502 and an error body in no known error format' });
  });
});
