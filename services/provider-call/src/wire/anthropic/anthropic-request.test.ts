import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import type { IrRequest } from '../../ir/chat-ir.js';
import { anthropicRequestToIr } from './anthropic-request.js';

describe('anthropicRequestToIr', () => {
  it('maps system blocks, content blocks, tools and sampling fields', () => {
    const { ir, streamUsage } = anthropicRequestToIr(
      {
        model: 'claude-sonnet-4',
        max_tokens: 256,
        system: [{ type: 'text', text: 'Be kind.', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Be brief.' }],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Look' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QUJD' } },
            ],
          },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'zoom', input: { level: 2 } }] },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'zoomed' }], is_error: false }],
          },
          { role: 'assistant', content: 'A cat.' },
        ],
        tools: [{ name: 'zoom', description: 'Zooms', input_schema: { type: 'object', properties: { level: { type: 'integer' } } } }],
        tool_choice: { type: 'any' },
        temperature: 0.5,
        top_p: 0.8,
        top_k: 40,
        stop_sequences: ['STOP'],
        stream: true,
      },
      true,
    );
    expect(streamUsage).toBe(true);
    expect(ir).toEqual<IrRequest>({
      system: 'Be kind.\nBe brief.',
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'Look' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'QUJD' } },
          ],
        },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'toolu_1', name: 'zoom', arguments: '{"level":2}' }] },
        { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'toolu_1', content: 'zoomed', isError: false }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'A cat.' }] },
      ],
      tools: [{ name: 'zoom', description: 'Zooms', parameters: { type: 'object', properties: { level: { type: 'integer' } } } }],
      toolChoice: { type: 'required' },
      maxTokens: 256,
      temperature: 0.5,
      topP: 0.8,
      topK: 40,
      stop: ['STOP'],
      stream: true,
      dropped: ['system.cache_control'],
    });
  });

  it('names a missing max_tokens the way Anthropic does', () => {
    const call = () => anthropicRequestToIr({ model: 'claude', messages: [{ role: 'user', content: 'hi' }] }, false);
    expect(call).toThrowError(AppError);
    expect(call).toThrowError('max_tokens: Field required');
  });

  it('rejects bad roles and blocks with the path at fault', () => {
    expect(() => anthropicRequestToIr({ model: 'c', max_tokens: 5, messages: [{ role: 'tool', content: 'x' }] }, false)).toThrowError(
      /messages\[0\]\.role/,
    );
    expect(() =>
      anthropicRequestToIr({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'x' }] }] }, false),
    ).toThrowError(/messages\[0\]\.content\[0\]\.name: Field required/);
    expect(() => anthropicRequestToIr({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 7 }] }, false)).toThrowError(
      'messages[0].content: Invalid input: expected string or array',
    );
  });

  it('carries thinking blocks and settings, and reports server tools and unknown fields as dropped', () => {
    const { ir } = anthropicRequestToIr(
      {
        model: 'c',
        max_tokens: 5,
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 's' }, { type: 'text', text: 'a' }] },
        ],
        tools: [{ type: 'web_search_20250305', name: 'web_search' }],
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        metadata: { user_id: 'u' },
        thinking: { type: 'enabled', budget_tokens: 1024 },
      },
      false,
    );
    expect(ir.dropped.sort()).toEqual(['tools.web_search_20250305']);
    expect(ir.user).toEqual({ id: 'u', field: 'metadata.user_id' });
    expect(ir.tools).toEqual([]);
    expect(ir.messages[1]?.parts).toEqual([
      { type: 'reasoning', text: 'hmm', signature: 's' },
      { type: 'text', text: 'a' },
    ]);
    expect(ir.thinking).toEqual({ enabled: true, budgetTokens: 1024 });
    expect(ir.parallelToolCalls).toBe(false);
  });

  it('keeps system messages where they are in the conversation, text only', () => {
    const { ir } = anthropicRequestToIr(
      {
        model: 'c',
        max_tokens: 5,
        system: 'lead',
        messages: [
          { role: 'user', content: 'q' },
          { role: 'system', content: 'from now on, answer in French' },
          { role: 'assistant', content: 'oui' },
          { role: 'user', content: 'next' },
          { role: 'system', content: [{ type: 'text', text: 'be brief', cache_control: { type: 'ephemeral' } }, { type: 'tool_removal', name: 'x' }] },
        ],
      },
      false,
    );
    expect(ir.system).toBe('lead');
    expect(ir.messages.map((m) => m.role)).toEqual(['user', 'system', 'assistant', 'user', 'system']);
    expect(ir.messages[1]?.parts).toEqual([{ type: 'text', text: 'from now on, answer in French' }]);
    expect(ir.messages[4]?.parts).toEqual([{ type: 'text', text: 'be brief' }]);
    expect(ir.dropped.sort()).toEqual(['messages.content.cache_control', 'messages.system.content.tool_removal']);
  });

  it('carries the images of a tool result, and reports what the IR has no place for', () => {
    const { ir } = anthropicRequestToIr(
      {
        model: 'c',
        max_tokens: 5,
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: 'a.png' } }] },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 't1',
                content: [
                  { type: 'text', text: 'the file' },
                  { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
                  { type: 'image', source: { type: 'url', url: 'https://x.test/a.png' } },
                  { type: 'search_result', source: 's', title: 't', content: [] },
                ],
                cache_control: { type: 'ephemeral' },
              },
            ],
          },
        ],
        metadata: { user_id: '{"device_id":"d"}', tenant: 'x' },
        context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      },
      true,
    );
    expect(ir.messages[1]?.parts).toEqual([
      {
        type: 'tool_result',
        toolCallId: 't1',
        content: 'the file',
        images: [
          { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' },
          { kind: 'url', url: 'https://x.test/a.png' },
        ],
        isError: false,
      },
    ]);
    expect(ir.user).toEqual({ id: '{"device_id":"d"}', field: 'metadata.user_id' });
    expect(ir.dropped.sort()).toEqual(['context_management', 'messages.content.cache_control', 'metadata.tenant', 'tool_result.content.search_result']);
  });
});
