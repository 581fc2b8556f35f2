import { describe, expect, it } from 'vitest';
import type { UpstreamTarget } from '../../adapters/provider-adapter.js';
import { asRecord } from '../../ir/json-shape.js';
import { antigravityProvider } from '../antigravity/antigravity-provider.js';
import { geminiProvider } from './gemini-provider.js';
import { geminiModelUrl } from './gemini-upstream.js';
import { GooglePassthroughStream } from './google-passthrough.js';

const target: UpstreamTarget = {
  accountId: 1,
  baseUrl: 'https://generativelanguage.googleapis.com',
  model: 'models/gemini-2.5-flash',
  credential: { headerName: 'x-goog-api-key', headerValue: 'AIza' },
  settings: { project: 'proj' },
};
const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], safety_settings: [{ category: 'X', threshold: 'BLOCK_NONE' }] };
const ctx = { requestId: 'r', model: 'm' };
const answer = { candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 1, cachedContentTokenCount: 2 } };

describe('Gemini pass-through', () => {
  it('sends a Gemini client body untouched to the Gemini API and its answer back untouched', () => {
    const exchange = geminiProvider.passthrough!.createExchange(body, target, false, ctx);
    expect(exchange.request.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
    expect(exchange.request.headers).toMatchObject({ 'x-goog-api-key': 'AIza' });
    expect(JSON.parse(String(exchange.request.body))).toEqual(body);
    const text = JSON.stringify(answer);
    expect(exchange.readResponse(text)).toEqual({ body: text, usage: { inputTokens: 4, outputTokens: 1, cachedInputTokens: 2 } });
    const error = JSON.stringify({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }] } });
    expect(exchange.readError(429, error)).toEqual({ body: error, retryAfterMs: 2000 });
    expect(JSON.parse(exchange.readError(502, 'Bad Gateway').body)).toEqual({ error: { code: 502, message: 'upstream answered with status 502 and an error body in no known error format', status: 'INTERNAL' } });
  });

  it('wraps a Gemini client body for Cloud Code and unwraps its answers', () => {
    const exchange = antigravityProvider.passthrough!.createExchange(body, { ...target, baseUrl: 'https://cloudcode-pa.googleapis.com' }, true, ctx);
    expect(exchange.request.url).toBe('https://cloudcode-pa.googleapis.com/v1internal:streamGenerateContent?alt=sse');
    expect(JSON.parse(String(exchange.request.body))).toEqual({ project: 'proj', model: 'gemini-2.5-flash', request: body });
    expect(JSON.parse(exchange.readResponse(JSON.stringify({ response: answer, traceId: 't' })).body)).toEqual(answer);
    const stream = exchange.openStream();
    const out = stream.push({ event: 'message', data: JSON.stringify({ response: answer, traceId: 't' }) });
    expect(out).toBe(`data: ${JSON.stringify(answer)}\n\n`);
    expect(stream.end()).toBe('');
    expect(stream.usage()).toEqual({ inputTokens: 4, outputTokens: 1, cachedInputTokens: 2 });
  });

  it('breaks the stream on an error event or a missing finishReason', () => {
    expect(() => new GooglePassthroughStream(undefined).push({ event: 'message', data: '{"error":{"code":500,"message":"Internal error"}}' })).toThrowError('Internal error');
    const cut = new GooglePassthroughStream((r) => asRecord(r.response));
    cut.push({ event: 'message', data: JSON.stringify({ response: { candidates: [{ content: { parts: [{ text: 'a' }] } }] } }) });
    expect(() => cut.end()).toThrowError(/ended before/);
  });

  it('builds model URLs from a base with or without the API version', () => {
    expect(geminiModelUrl({ ...target, baseUrl: 'http://emu:1/v1beta/' }, true)).toBe('http://emu:1/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(geminiModelUrl({ ...target, baseUrl: 'http://emu:1' }, false)).toBe('http://emu:1/v1beta/models/gemini-2.5-flash:generateContent');
  });
});
