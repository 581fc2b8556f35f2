import { describe, expect, it } from 'vitest';
import { protocolOfPath } from './fallback-handlers.js';

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
