import { describe, expect, it } from 'vitest';
import { parseAnthropicRequest } from './anthropic-request.js';
import { parseGoogleRequest } from './google-request.js';
import { parseOpenAiRequest } from './openai-request.js';

// Every parser must turn the same conversation into the same ChatRequest: one tool loop round trip
// (user asks, assistant calls, tool answers) with an image and a system prompt.

const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const expected = {
  model: 'm',
  stream: false,
  lastUserText: 'weather please [emu thinking=on]',
  inputTokens: 2 + 4 + 2, // system, user text, tool result
  tools: [{ name: 'get_weather', parameters: schema }],
  toolResults: [{ name: 'get_weather', text: 'sunny, warm' }],
  images: 1,
};

describe('request parsers agree', () => {
  it('OpenAI', () => {
    const chat = parseOpenAiRequest({
      model: 'm',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: expected.lastUserText }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny, warm' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: schema } }],
    });
    expect(chat).toEqual({ ...expected, streamUsage: false });
  });

  it('Anthropic', () => {
    const chat = parseAnthropicRequest({
      model: 'm',
      max_tokens: 100,
      system: [{ type: 'text', text: 'be brief' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: expected.lastUserText }, { type: 'image', source: { type: 'url', url: 'https://x.test/a.png' } }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'get_weather', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'sunny, warm' }] }] },
      ],
      tools: [{ name: 'get_weather', input_schema: schema }, { type: 'web_search_20250305', name: 'web_search' }],
    });
    expect(chat).toEqual({ ...expected, maxOutputTokens: 100, streamUsage: true });
  });

  it('Gemini (snake_case accepted)', () => {
    const chat = parseGoogleRequest(
      {
        system_instruction: { parts: [{ text: 'be brief' }] },
        contents: [
          { role: 'user', parts: [{ text: expected.lastUserText }, { inline_data: { mime_type: 'image/png', data: 'AAAA' } }] },
          { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { content: 'sunny, warm' } } }] },
        ],
        tools: [{ googleSearch: {} }, { function_declarations: [{ name: 'get_weather', parameters: schema }] }],
      },
      'm',
      false,
      '',
    );
    expect(chat).toEqual({ ...expected, streamUsage: true });
  });
});

describe('request options', () => {
  it('reads tool choice and reasoning switches', () => {
    const openai = parseOpenAiRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'function', function: { name: 'f' } }, reasoning_effort: 'low' });
    expect(openai).toMatchObject({ toolChoice: { name: 'f' }, thinking: true });
    expect(parseOpenAiRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'none' })).not.toHaveProperty('thinking');
    const anthropic = parseAnthropicRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'any' }, thinking: { type: 'enabled', budget_tokens: 1024 } });
    expect(anthropic).toMatchObject({ toolChoice: 'required', thinking: true });
    const gemini = parseGoogleRequest(
      { contents: [{ parts: [{ text: 'x' }] }], toolConfig: { functionCallingConfig: { mode: 'NONE' } }, generationConfig: { thinkingConfig: { includeThoughts: true } } },
      'm',
      true,
      '',
    );
    expect(gemini).toMatchObject({ lastUserText: 'x', toolChoice: 'none', thinking: true, stream: true });
  });

  it('rejects malformed images and Anthropic requests without max_tokens', () => {
    expect(parseOpenAiRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:undefined' } }] }] })).toMatchObject({ error: expect.stringMatching(/image URL/) });
    expect(parseAnthropicRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).toEqual({ error: 'max_tokens: Field required' });
    const badImage = parseAnthropicRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/tiff', data: 'AA' } }] }] });
    expect(badImage).toMatchObject({ error: expect.stringMatching(/^messages\.0\.content\.0\.image\.source\.base64\.media_type/) });
    expect(parseGoogleRequest({ contents: [{ parts: [{ inlineData: { mimeType: 'image/png' } }] }] }, 'm', false, '')).toMatchObject({ error: expect.stringMatching(/inline_data/) });
    expect(parseAnthropicRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] })).toMatchObject({ error: expect.stringMatching(/role/) });
    expect(parseOpenAiRequest({ model: 'm', messages: [{ role: 'wizard', content: 'x' }] })).toMatchObject({ error: expect.stringMatching(/^Invalid value: 'wizard'/) });
    expect(parseOpenAiRequest({ model: 'm', messages: [{ role: 'developer', content: 'x' }, { role: 'user', content: 'y' }] })).not.toHaveProperty('error');
  });
});
