import { describe, expect, it } from 'vitest';
import { parseAnthropicRequest } from './anthropic-request.js';
import { parseGoogleRequest } from './google-request.js';
import { parseOpenAiRequest } from './openai-request.js';

// What agents send mid-conversation: system messages after the first turn (Claude Opus 4.8 takes them
// inside `messages`, by Anthropic's placement rules) and tools that return images.

describe('Anthropic system messages inside messages', () => {
  const conversation = [
    { role: 'user', content: 'read the file' },
    { role: 'system', content: 'agents: Explore Plan' },
  ];

  it('are taken on Claude Opus 4.8 and counted as input', () => {
    const chat = parseAnthropicRequest({ model: 'claude-opus-4-8', max_tokens: 10, system: 'lead', messages: conversation });
    expect(chat).toMatchObject({ lastUserText: 'read the file', inputTokens: 1 + 3 + 3 });
  });

  it('are refused on other models and where Anthropic does not allow them', () => {
    expect(parseAnthropicRequest({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: conversation })).toEqual({
      error: "messages.1.role: system messages in 'messages' are not supported by model claude-sonnet-4-5",
    });
    const after = (messages: unknown[]) => parseAnthropicRequest({ model: 'claude-opus-4-8', max_tokens: 10, messages });
    expect(after([{ role: 'system', content: 's' }, { role: 'user', content: 'q' }])).toEqual({ error: 'messages.0: a system message must follow a user message' });
    expect(after([...conversation, { role: 'user', content: 'q' }])).toEqual({
      error: 'messages.1: a system message must be the last message or be followed by an assistant message',
    });
    expect(after([...conversation, { role: 'assistant', content: 'a' }])).not.toHaveProperty('error');
  });
});

describe('tool results with images', () => {
  it('OpenAI: an image-only user message after the tool messages belongs to the tool results', () => {
    const chat = parseOpenAiRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'look [emu thinking=on]' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Read', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'a.png' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
      ],
    });
    expect(chat).toMatchObject({ lastUserText: 'look [emu thinking=on]', toolResults: [{ name: 'Read', text: 'a.png' }], images: 1 });
  });

  it('Gemini 3: images inside a functionResponse count', () => {
    const chat = parseGoogleRequest(
      {
        contents: [
          { role: 'user', parts: [{ text: 'look' }] },
          { role: 'model', parts: [{ functionCall: { name: 'Read', args: {} } }] },
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'Read', response: { output: 'a.png' }, parts: [{ inlineData: { mimeType: 'image/png', data: 'AAAA' } }] } }],
          },
        ],
      },
      'gemini-3-pro-preview',
      false,
      '',
    );
    expect(chat).toMatchObject({ toolResults: [{ name: 'Read', text: 'a.png' }], images: 1 });
  });
});
