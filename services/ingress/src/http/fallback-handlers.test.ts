import { describe, expect, it } from 'vitest';
import { protocolOfPath, routingErrorOf } from './fallback-handlers.js';

describe('protocolOfPath', () => {
  it('names the protocol whose error shape a path gets before any route claimed it', () => {
    expect(protocolOfPath('/v1/responses')).toBe('responses');
    expect(protocolOfPath('/v1/responses/resp_1/input_items')).toBe('responses');
    expect(protocolOfPath('/v1/responsesx')).toBe('openai');
    expect(protocolOfPath('/v1/chat/completions')).toBe('openai');
    expect(protocolOfPath('/v1/messages/count_tokens')).toBe('anthropic');
    expect(protocolOfPath('/v1beta/models/x:generateContent')).toBe('gemini');
  });
});

describe('routingErrorOf', () => {
  it('makes the router’s failed path decoding a 400, and anything else a 500', () => {
    let decodeError: unknown;
    try {
      decodeURIComponent('%E0%A4%A');
    } catch (error) {
      decodeError = Object.assign(error as Error, { status: 400, statusCode: 400 });
    }
    expect(routingErrorOf(decodeError)).toMatchObject({ code: 'INVALID_REQUEST', httpStatus: 400 });
    expect(routingErrorOf(new URIError('not from the router'))).toMatchObject({ code: 'INTERNAL' });
    expect(routingErrorOf(new Error('boom'))).toMatchObject({ code: 'INTERNAL', message: 'internal error' });
  });
});
