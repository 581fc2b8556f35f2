import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import type { IrRequest } from '../../ir/chat-ir.js';
import { geminiRequestToIr, geminiThinkingToIr, pairToolResults } from './gemini-request-decoder.js';
import { camelizeGeminiKeys } from './gemini-keys.js';

describe('geminiRequestToIr', () => {
  it('maps contents (snake_case too), system instruction, tools, tool config and generation config', () => {
    const { ir, streamUsage } = geminiRequestToIr(
      {
        system_instruction: { parts: [{ text: 'Be brief.' }] },
        contents: [
          { role: 'user', parts: [{ text: 'Weather in Oslo?' }, { inline_data: { mime_type: 'image/png', data: 'QQ' } }] },
          { role: 'model', parts: [{ function_call: { name: 'weather', args: { city: 'Oslo', snake_key: 1 } }, thought_signature: 'S' }] },
          { role: 'user', parts: [{ function_response: { name: 'weather', response: { output: 'sunny' } } }] },
        ],
        tools: [{ function_declarations: [{ name: 'weather', description: 'Weather now', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING', nullable: true } }, required: ['city'] } }] }],
        tool_config: { function_calling_config: { mode: 'any', allowed_function_names: ['weather'] } },
        generation_config: { temperature: 0.4, top_p: 0.9, top_k: 20, max_output_tokens: 256, stop_sequences: ['END'], thinking_config: { thinking_budget: 2048, include_thoughts: true } },
      },
      true,
    );
    expect(streamUsage).toBe(true);
    expect(ir).toEqual<IrRequest>({
      system: 'Be brief.',
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'Weather in Oslo?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'QQ' } },
          ],
        },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: '', signature: 'S' },
            { type: 'tool_call', id: 'call_1', name: 'weather', arguments: '{"city":"Oslo","snake_key":1}' },
          ],
        },
        { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'call_1', name: 'weather', content: 'sunny', isError: false }] },
      ],
      tools: [{ name: 'weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: ['string', 'null'] } }, required: ['city'] } }],
      toolChoice: { type: 'tool', name: 'weather' },
      temperature: 0.4,
      topP: 0.9,
      topK: 20,
      maxTokens: 256,
      stop: ['END'],
      thinking: { enabled: true, budgetTokens: 2048 },
      stream: true,
      dropped: [],
    });
  });

  it('reports what it cannot carry', () => {
    const { ir } = geminiRequestToIr(
      {
        contents: [{ parts: [{ text: 'hi' }, { executable_code: { code: 'x' } }] }],
        tools: [{ googleSearch: {} }],
        safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
        cachedContent: 'cachedContents/abc',
        generationConfig: { presencePenalty: 0.5, candidateCount: 2 },
      },
      false,
    );
    expect(ir.dropped.sort()).toEqual([
      'cachedContent',
      'contents.parts.executableCode',
      'generationConfig.candidateCount',
      'generationConfig.presencePenalty',
      'safetySettings',
      'tools.googleSearch',
    ]);
  });

  it('rejects a malformed body with INVALID_REQUEST naming the field', () => {
    expect(() => geminiRequestToIr({ contents: [{ role: 'wizard', parts: [] }] }, false)).toThrowError(AppError);
    expect(() => geminiRequestToIr({ contents: [{ role: 'system', parts: [] }] }, false)).toThrowError(/contents\[0\]\.role/);
    expect(() => geminiRequestToIr({ contents: [{ parts: [{ functionCall: { args: {} } }] }] }, false)).toThrowError(/functionCall\.name/);
    expect(() => geminiRequestToIr('text', false)).toThrowError('request body must be a JSON object');
  });

  it('maps thinking configs: zero budget is off, dynamic and levels leave the budget to the model', () => {
    expect(geminiThinkingToIr({ thinkingBudget: 0 })).toEqual({ enabled: false });
    expect(geminiThinkingToIr({ thinkingBudget: -1 })).toEqual({ enabled: true });
    expect(geminiThinkingToIr({ thinkingLevel: 'HIGH' })).toEqual({ enabled: true, effort: 'high' });
    expect(geminiThinkingToIr({ includeThoughts: false })).toBeUndefined();
  });
});

describe('pairToolResults', () => {
  it('pairs results without ids to the earliest unanswered call of the same name', () => {
    const messages: IrRequest['messages'] = [
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'a', name: 'f', arguments: '{}' },
          { type: 'tool_call', id: 'b', name: 'f', arguments: '{}' },
        ],
      },
      {
        role: 'user',
        parts: [
          { type: 'tool_result', toolCallId: '', name: 'f', content: '1', isError: false },
          { type: 'tool_result', toolCallId: '', name: 'f', content: '2', isError: false },
          { type: 'tool_result', toolCallId: '', name: 'g', content: '3', isError: false },
        ],
      },
    ];
    pairToolResults(messages);
    expect(messages[1]?.parts.map((p) => (p.type === 'tool_result' ? p.toolCallId : ''))).toEqual(['a', 'b', 'call_g']);
  });
});

describe('camelizeGeminiKeys', () => {
  it('renames proto fields and leaves user data as sent', () => {
    expect(
      camelizeGeminiKeys({
        system_instruction: { parts: [{ text: 'x' }] },
        contents: [{ parts: [{ function_call: { name: 'f', args: { user_key: 1 } } }] }],
        tools: [{ function_declarations: [{ name: 'f', parameters: { properties: { my_field: { max_length: 3 } } }, parameters_json_schema: { additional_properties: false } }] }],
      }),
    ).toEqual({
      systemInstruction: { parts: [{ text: 'x' }] },
      contents: [{ parts: [{ functionCall: { name: 'f', args: { user_key: 1 } } }] }],
      tools: [{ functionDeclarations: [{ name: 'f', parameters: { properties: { my_field: { maxLength: 3 } } }, parametersJsonSchema: { additional_properties: false } }] }],
    });
  });
});
