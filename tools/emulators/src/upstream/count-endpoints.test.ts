import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';

let emu: UpstreamEmulator;
beforeAll(async () => {
  emu = await startUpstreamEmulator({ recordLimit: 100, validateBearer: (token) => token === 'ya29.good' });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.clearRequests();
  emu.clearScripts();
});

async function post(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const ANTHROPIC = { 'x-api-key': 'sk-ant', 'anthropic-version': '2023-06-01' };
const GEMINI = { 'x-goog-api-key': 'AIza-key' };
const CLOUD_CODE = { authorization: 'Bearer ya29.good' };

const system = 'You are terse.';
const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
const messages = [
  { role: 'user', content: 'What is the weather in Oslo today?' },
  { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }] },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny and 21 degrees' }] },
];
const geminiRequest = {
  systemInstruction: { parts: [{ text: system }] },
  contents: [
    { role: 'user', parts: [{ text: 'What is the weather in Oslo today?' }] },
    { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
    { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: 'sunny and 21 degrees' } } }] },
  ],
};

describe('count endpoints', () => {
  it('Anthropic count_tokens equals the input_tokens of the chat answer to the same body', async () => {
    const count = await post('/v1/messages/count_tokens', ANTHROPIC, { model: 'claude-x', system, tools, messages });
    const chat = await post('/v1/messages', ANTHROPIC, { model: 'claude-x', system, tools, messages, max_tokens: 100 });
    expect(count.status).toBe(200);
    expect(count.json).toEqual({ input_tokens: (chat.json.usage as { input_tokens: number }).input_tokens });
    expect(count.json.input_tokens).toBeGreaterThan(0);
    expect(emu.requests()[0]).toMatchObject({ path: '/v1/messages/count_tokens', format: 'anthropic', model: 'claude-x', credential: 'sk-ant', status: 200 });
  });

  it('refuses what the real count_tokens refuses: max_tokens, a missing version, a missing key', async () => {
    expect((await post('/v1/messages/count_tokens', ANTHROPIC, { model: 'm', max_tokens: 5, messages })).status).toBe(400);
    expect((await post('/v1/messages/count_tokens', { 'x-api-key': 'k' }, { model: 'm', messages })).status).toBe(400);
    expect((await post('/v1/messages/count_tokens', { 'anthropic-version': '2023-06-01' }, { model: 'm', messages })).status).toBe(401);
  });

  it('Gemini countTokens ({contents} and {generateContentRequest}) equals the chat promptTokenCount', async () => {
    const chat = await post('/v1beta/models/gemini-x:generateContent', GEMINI, geminiRequest);
    const prompt = (chat.json.usageMetadata as { promptTokenCount: number }).promptTokenCount;
    const wrapped = await post('/v1beta/models/gemini-x:countTokens', GEMINI, { generateContentRequest: { model: 'models/gemini-x', ...geminiRequest } });
    expect(wrapped).toEqual({ status: 200, json: { totalTokens: prompt, promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }] } });
    const contentsOnly = await post('/v1beta/models/gemini-x:countTokens', GEMINI, { contents: geminiRequest.contents });
    expect(contentsOnly.json.totalTokens).toBe(prompt - 3); // without the three words of the system instruction
    expect((await post('/v1beta/models/gemini-x:countTokens', GEMINI, { contents: geminiRequest.contents, generateContentRequest: geminiRequest })).status).toBe(400);
  });

  it('Cloud Code v1internal:countTokens equals the chat promptTokenCount, behind a valid OAuth token', async () => {
    const chat = await post('/v1internal:generateContent', CLOUD_CODE, { project: 'p', model: 'gemini-x', request: geminiRequest });
    const prompt = ((chat.json.response as Record<string, unknown>).usageMetadata as { promptTokenCount: number }).promptTokenCount;
    const count = await post('/v1internal:countTokens', CLOUD_CODE, { request: { model: 'models/gemini-x', ...geminiRequest } });
    expect(count).toEqual({ status: 200, json: { totalTokens: prompt } });
    expect(emu.requests().at(-1)).toMatchObject({ path: '/v1internal:countTokens', format: 'antigravity', model: 'gemini-x' });
    expect((await post('/v1internal:countTokens', { authorization: 'Bearer ya29.bad' }, { request: { model: 'models/x', ...geminiRequest } })).status).toBe(401);
  });

  it('is steerable like chat (a scripted 529 for a count path)', async () => {
    emu.script({ match: { path: '/v1/messages/count_tokens' }, status: 529, times: 1 });
    const refused = await post('/v1/messages/count_tokens', ANTHROPIC, { model: 'm', messages });
    expect(refused.status).toBe(529);
    expect((await post('/v1/messages/count_tokens', ANTHROPIC, { model: 'm', messages })).status).toBe(200);
  });
});
