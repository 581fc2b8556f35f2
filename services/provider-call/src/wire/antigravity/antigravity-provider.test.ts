import { describe, expect, it } from 'vitest';
import type { UpstreamTarget } from '../../adapters/provider-adapter.js';
import type { IrRequest } from '../../ir/chat-ir.js';
import { antigravityProvider } from './antigravity-provider.js';

const target: UpstreamTarget = {
  accountId: 3,
  baseUrl: 'https://cloudcode-pa.googleapis.com/',
  model: 'gemini-2.5-pro',
  credential: { headerName: 'Authorization', headerValue: 'Bearer ya29.token' },
  settings: { project: 'proj-1' },
};
const ir: IrRequest = { messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }], tools: [], stop: [], stream: false, dropped: [] };

describe('antigravityProvider', () => {
  it('wraps the Gemini request with project and model and picks the endpoint by stream flag', () => {
    const { request } = antigravityProvider.buildRequest(ir, target);
    expect(request.url).toBe('https://cloudcode-pa.googleapis.com/v1internal:generateContent');
    expect(request.headers).toMatchObject({ authorization: 'Bearer ya29.token', 'content-type': 'application/json' });
    expect(JSON.parse(String(request.body))).toEqual({ project: 'proj-1', model: 'gemini-2.5-pro', request: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] } });
    expect(antigravityProvider.buildRequest({ ...ir, stream: true }, target).request.url).toBe(
      'https://cloudcode-pa.googleapis.com/v1internal:streamGenerateContent?alt=sse',
    );
  });

  it('refuses an account without a project', () => {
    expect(() => antigravityProvider.buildRequest(ir, { ...target, settings: {} })).toThrowError(/account 3 has no "project"/);
  });

  it('unwraps the response envelope', () => {
    const ir = antigravityProvider.decodeResponse({
      response: { candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, finishReason: 'MAX_TOKENS' }] },
    });
    expect(ir.parts).toEqual([{ type: 'text', text: 'Hello' }]);
    expect(ir.stopReason).toBe('max_tokens');
    expect(() => antigravityProvider.decodeResponse({ candidates: [] })).toThrowError(/response/);
  });
});
