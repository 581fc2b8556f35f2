import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import type { IrRequest } from '../../ir/chat-ir.js';
import { irToOpenAiRequest } from './openai-request-encoder.js';
import { imageSourceFromUrl, openAiRequestToIr } from './openai-request.js';

describe('openAiRequestToIr', () => {
  it('maps roles, system prompts, images, tools and sampling fields', () => {
    const { ir, streamUsage } = openAiRequestToIr(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } },
            ],
          },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"q":1}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
          { role: 'assistant', content: 'A cat.' },
          { role: 'user', content: 'Thanks' },
        ],
        tools: [{ type: 'function', function: { name: 'look', description: 'Looks', parameters: { type: 'object', properties: { q: { type: 'number' } } } } }],
        tool_choice: { type: 'function', function: { name: 'look' } },
        temperature: 0.2,
        top_p: 0.9,
        max_completion_tokens: 50,
        stop: 'END',
        stream: true,
        stream_options: { include_usage: true },
      },
      true,
    );
    expect(streamUsage).toBe(true);
    expect(ir).toEqual<IrRequest>({
      system: 'Be brief.\n\nAnswer in English.',
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0K' } },
          ],
        },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'look', arguments: '{"q":1}' }] },
        { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'call_1', content: 'a cat', isError: false }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'A cat.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Thanks' }] },
      ],
      tools: [{ name: 'look', description: 'Looks', parameters: { type: 'object', properties: { q: { type: 'number' } } } }],
      toolChoice: { type: 'tool', name: 'look' },
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 50,
      stop: ['END'],
      stream: true,
      dropped: [],
    });
  });

  it('joins parallel tool results into one user turn', () => {
    const { ir } = openAiRequestToIr(
      {
        model: 'm',
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', tool_calls: [{ id: 'a', function: { name: 'f', arguments: '{}' } }, { id: 'b', function: { name: 'g', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'a', content: '1' },
          { role: 'tool', tool_call_id: 'b', content: '2' },
        ],
      },
      false,
    );
    expect(ir.messages.at(-1)?.parts.map((p) => (p.type === 'tool_result' ? p.toolCallId : p.type))).toEqual(['a', 'b']);
  });

  it('reports the fields it cannot carry instead of dropping them in silence', () => {
    const { ir } = openAiRequestToIr(
      {
        model: 'm',
        messages: [{ role: 'user', name: 'bob', content: [{ type: 'text', text: 'hi' }, { type: 'input_audio', input_audio: {} }] }],
        presence_penalty: 1,
        seed: 7,
        n: 2,
        user: null,
      },
      false,
    );
    expect(ir.dropped.sort()).toEqual(['messages.content.input_audio', 'messages.name', 'n', 'presence_penalty', 'seed']);
  });

  it('rejects a malformed body with INVALID_REQUEST naming the field', () => {
    const call = () => openAiRequestToIr({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text' }] }] }, false);
    expect(call).toThrowError(AppError);
    expect(call).toThrowError('messages[0].content[0].text: Field required');
    expect(() => openAiRequestToIr({ model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, false)).toThrowError(/messages\[0\]\.role/);
    expect(() => openAiRequestToIr([1], false)).toThrowError('request body must be a JSON object');
    expect(() => openAiRequestToIr({ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }, false)).toThrowError(
      /temperature/,
    );
  });
});

describe('imageSourceFromUrl', () => {
  it('splits data URLs and keeps other URLs', () => {
    expect(imageSourceFromUrl('data:image/jpeg;base64,AAAA')).toEqual({ kind: 'base64', mediaType: 'image/jpeg', data: 'AAAA' });
    expect(imageSourceFromUrl('https://x/cat.png')).toEqual({ kind: 'url', url: 'https://x/cat.png' });
  });
});

describe('irToOpenAiRequest', () => {
  const ir: IrRequest = {
    system: 'sys',
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'calling' }, { type: 'tool_call', id: 't1', name: 'f', arguments: '{"a":1}' }] },
      {
        role: 'user',
        parts: [
          { type: 'tool_result', toolCallId: 't1', content: 'done', isError: true },
          { type: 'text', text: 'and this' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'QQ' } },
        ],
      },
    ],
    tools: [{ name: 'f', parameters: { type: 'object' } }],
    toolChoice: { type: 'required' },
    maxTokens: 10,
    topK: 5,
    stop: ['x'],
    stream: true,
    dropped: [],
  };

  it('builds a Chat Completions body with tool messages and usage in the stream', () => {
    const { body, dropped } = irToOpenAiRequest(ir, 'glm-4');
    expect(body).toEqual({
      model: 'glm-4',
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'calling', tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
        { role: 'tool', tool_call_id: 't1', content: 'done' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'and this' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,QQ' } },
          ],
        },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      tool_choice: 'required',
      max_tokens: 10,
      stop: ['x'],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(dropped.sort()).toEqual(['tool_result.is_error', 'top_k']);
  });
});

describe('OpenAI reasoning, signatures and tool settings', () => {
  it('reads reasoning_content, Google thought signatures on tool calls, reasoning_effort and parallel_tool_calls', () => {
    const { ir } = openAiRequestToIr(
      {
        model: 'm',
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: null,
            reasoning_content: 'Need the tool.',
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' }, extra_content: { google: { thought_signature: 'SIG' } } }],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
        ],
        tools: [{ type: 'function', function: { name: 'w' } }],
        reasoning_effort: 'high',
        parallel_tool_calls: false,
      },
      false,
    );
    expect(ir.messages[1]?.parts).toEqual([
      { type: 'reasoning', text: 'Need the tool.' },
      { type: 'reasoning', text: '', signature: 'SIG' },
      { type: 'tool_call', id: 'c1', name: 'w', arguments: '{}' },
    ]);
    expect(ir.thinking).toEqual({ enabled: true, effort: 'high' });
    expect(ir.parallelToolCalls).toBe(false);
    expect(ir.dropped).toEqual([]);
    expect(openAiRequestToIr({ model: 'm', messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'none' }, false).ir.thinking).toEqual({ enabled: false });
  });

  it('reports message and part fields it does not carry', () => {
    const { ir } = openAiRequestToIr(
      {
        model: 'm',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }, { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'high' } }] },
          { role: 'assistant', content: 'b', audio: { id: 'a1' } },
        ],
        tools: [{ type: 'function', function: { name: 'f', strict: true, parameters: { type: 'object' } } }],
      },
      false,
    );
    expect(ir.dropped.sort()).toEqual(['messages.audio', 'messages.content.cache_control', 'messages.content.image_url.detail', 'tools.function.strict']);
  });
});

describe('irToOpenAiRequest reasoning', () => {
  it('sends reasoning as reasoning_content, a call signature as extra_content, and reports other signatures', () => {
    const { body, dropped } = irToOpenAiRequest(
      {
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'q' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'thought', signature: 'anthropic-sig' },
              { type: 'redacted_reasoning', data: 'xx' },
              { type: 'reasoning', text: '', signature: 'gemini-sig' },
              { type: 'tool_call', id: 'c', name: 'f', arguments: '{}' },
            ],
          },
        ],
        tools: [{ name: 'f', parameters: { type: 'object' } }],
        parallelToolCalls: false,
        thinking: { enabled: true, budgetTokens: 9000 },
        stop: [],
        stream: false,
        dropped: [],
      },
      'deepseek-reasoner',
    );
    expect(body.messages).toEqual([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'thought',
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' }, extra_content: { google: { thought_signature: 'gemini-sig' } } }],
      },
    ]);
    expect(body).toMatchObject({ parallel_tool_calls: false, reasoning_effort: 'high' });
    expect(dropped.sort()).toEqual(['redacted_thinking', 'thinking.signature']);
  });
});
