import { checkAnthropicCountTokens, geminiFormat } from '@aigw/formats';
import { describe, expect, it } from 'vitest';
import { anthropicClient } from '../wire/anthropic/anthropic-client.js';
import { geminiClient } from '../wire/google/gemini-client.js';
import { openAiClient } from '../wire/openai/openai-client.js';
import { anthropicCountUrl, chatBodyOfCount, decodeCount, upstreamCount } from './count-plan.js';

const target = (baseUrl: string) => ({ accountId: 3, baseUrl, model: 'up-model', settings: { project: 'p-1' }, credential: { headerName: 'x-api-key', headerValue: 'sk-1' } });

const anthropicCount = {
  model: 'claude',
  system: 'Be terse.',
  messages: [{ role: 'user', content: 'Hello there' }],
  tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
};
const geminiCount = {
  generateContentRequest: {
    model: 'models/gemini',
    systemInstruction: { parts: [{ text: 'Be terse.' }] },
    contents: [{ role: 'user', parts: [{ text: 'Hello there' }] }],
    generationConfig: { temperature: 0.2 },
  },
};

describe('chatBodyOfCount', () => {
  it('gives an Anthropic count body an output limit for the chat decoder (above a thinking budget)', () => {
    expect(chatBodyOfCount('anthropic', { messages: [] })).toEqual({ messages: [], max_tokens: 4096 });
    expect(chatBodyOfCount('anthropic', { messages: [], thinking: { type: 'enabled', budget_tokens: 10_000 } }).max_tokens).toBe(10_001);
  });

  it('unwraps Gemini’s generateContentRequest, or takes its contents', () => {
    expect(chatBodyOfCount('gemini', geminiCount)).toEqual({
      systemInstruction: geminiCount.generateContentRequest.systemInstruction,
      contents: geminiCount.generateContentRequest.contents,
      generationConfig: { temperature: 0.2 },
    });
    expect(chatBodyOfCount('gemini', { contents: [1] })).toEqual({ contents: [1] });
    expect(() => chatBodyOfCount('gemini', { generateContentRequest: 'x' })).toThrowError(/must be an object/);
    expect(() => chatBodyOfCount('openai', {})).toThrowError(/no token-counting endpoint/);
  });

  it('leaves the format rules to ingress (checked once there, as for chat) and decodes what passed them', () => {
    expect(() => checkAnthropicCountTokens({ model: 'm', messages: [] })).toThrowError(/messages/);
    expect(() => geminiFormat.checkRequest({ contents: [] })).toThrowError(/contents/);
    expect(() => decodeCount(anthropicClient, { model: 'm', messages: [{ role: 'user', content: 'Hi' }] })).not.toThrow();
  });
});

describe('upstreamCount', () => {
  it('passes an Anthropic body to Anthropic’s count_tokens with the routed model', () => {
    const decoded = decodeCount(anthropicClient, anthropicCount);
    const count = upstreamCount(anthropicClient, 'anthropic', anthropicCount, decoded, target('https://api.anthropic.com'));
    expect(count?.request.url).toBe('https://api.anthropic.com/v1/messages/count_tokens');
    expect(count?.request.headers).toMatchObject({ 'x-api-key': 'sk-1', 'anthropic-version': '2023-06-01' });
    expect(JSON.parse(String(count?.request.body ?? ''))).toEqual({ ...anthropicCount, model: 'up-model' });
    expect(anthropicCountUrl('https://x/v1')).toBe('https://x/v1/messages/count_tokens');
  });

  it('translates a Gemini count to Anthropic’s count_tokens: input fields only, no max_tokens', () => {
    const decoded = decodeCount(geminiClient, geminiCount);
    const count = upstreamCount(geminiClient, 'anthropic', geminiCount, decoded, target('https://api.anthropic.com'));
    expect(JSON.parse(String(count?.request.body ?? ''))).toEqual({
      model: 'up-model',
      system: 'Be terse.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }],
    });
  });

  it('translates an Anthropic count to Gemini’s countTokens as a generateContentRequest', () => {
    const decoded = decodeCount(anthropicClient, anthropicCount);
    const count = upstreamCount(anthropicClient, 'gemini', anthropicCount, decoded, { ...target('https://g'), credential: { headerName: 'x-goog-api-key', headerValue: 'k' } });
    expect(count?.request.url).toBe('https://g/v1beta/models/up-model:countTokens');
    const body = JSON.parse(String(count?.request.body ?? ''));
    expect(body.generateContentRequest).toMatchObject({
      model: 'models/up-model',
      systemInstruction: { parts: [{ text: 'Be terse.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Hello there' }] }],
      tools: [{ functionDeclarations: [{ name: 'get_weather' }] }],
    });
    expect(body.generateContentRequest.generationConfig).toBeUndefined();
  });

  it('wraps a Gemini count for Cloud Code as {request:{model, contents, …}}, without the generation settings', () => {
    const decoded = decodeCount(geminiClient, geminiCount);
    const count = upstreamCount(geminiClient, 'antigravity', geminiCount, decoded, { ...target('https://cloudcode'), credential: { headerName: 'authorization', headerValue: 'Bearer t' } });
    expect(count?.request.url).toBe('https://cloudcode/v1internal:countTokens');
    expect(JSON.parse(String(count?.request.body ?? ''))).toEqual({
      request: { model: 'models/up-model', systemInstruction: geminiCount.generateContentRequest.systemInstruction, contents: geminiCount.generateContentRequest.contents },
    });
  });

  it('has no count call for an OpenAI-compatible upstream', () => {
    const decoded = decodeCount(anthropicClient, anthropicCount);
    expect(upstreamCount(anthropicClient, 'openai', anthropicCount, decoded, target('https://api.openai.com/v1'))).toBeUndefined();
    expect(openAiClient.format).toBe('openai');
  });
});
