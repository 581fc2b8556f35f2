import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../ir/chat-ir.js';
import { irToResponsesRequest, isOpenAiEncryptedReasoning, reasonsByDefault } from './responses-request-encoder.js';

const text = (t: string) => ({ type: 'text' as const, text: t });
const base: IrRequest = { messages: [], tools: [], stop: [], stream: false, dropped: [] };
const ENCRYPTED = 'gAAAAABpZ2VuY3J5cHRlZA==';

describe('IR → Responses request', () => {
  it('sends the system prompt as instructions in a stateless request; encrypted reasoning only where reasoning is', () => {
    const hi: IrRequest = { ...base, system: 'be brief', messages: [{ role: 'user', parts: [text('hi')] }] };
    const { body, dropped } = irToResponsesRequest(hi, 'gpt-4o');
    // OpenAI refuses `include: ["reasoning.encrypted_content"]` for a model that does not reason.
    expect(body).toEqual({
      model: 'gpt-4o',
      instructions: 'be brief',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
      store: false,
    });
    expect(dropped).toEqual([]);
    expect(irToResponsesRequest({ ...hi, thinking: { enabled: true, effort: 'low' } }, 'my-model').body.include).toEqual(['reasoning.encrypted_content']);
    expect(irToResponsesRequest(hi, 'gpt-5.1-codex').body.include).toEqual(['reasoning.encrypted_content']);
    const handedBack: IrRequest = {
      ...hi,
      messages: [...hi.messages, { role: 'assistant', parts: [{ type: 'reasoning', text: 'r', signature: ENCRYPTED }, text('ok')] }, { role: 'user', parts: [text('more')] }],
    };
    expect(irToResponsesRequest(handedBack, 'my-model').body.include).toEqual(['reasoning.encrypted_content']);
  });

  it('knows the models that reason unasked by name', () => {
    for (const model of ['o3', 'o4-mini', 'gpt-5', 'gpt-5.1-codex', 'gpt-5-mini', 'gpt-5.2-chat-latest', 'gpt-6']) expect(reasonsByDefault(model), model).toBe(true);
    for (const model of ['gpt-4o', 'gpt-4.1-mini', 'gpt-5-chat-latest', 'glm-4.6', 'omni', 'o']) expect(reasonsByDefault(model), model).toBe(false);
  });

  it('writes a tool loop as items: function_call, then function_call_output, with images and later system messages in place', () => {
    const ir: IrRequest = {
      ...base,
      messages: [
        { role: 'user', parts: [text('look'), { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA' } }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'I should look', signature: ENCRYPTED },
            text('Looking.'),
            { type: 'tool_call', id: 'call_1', name: 'shot', arguments: '{"x":1}' },
          ],
        },
        { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'call_1', content: 'taken', images: [{ kind: 'url', url: 'https://e.x/a.png' }], isError: false }, text('and?')] },
        { role: 'system', parts: [text('answer in French')] },
      ],
    };
    const { body, dropped } = irToResponsesRequest(ir, 'm');
    expect(body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: 'data:image/png;base64,AAA', detail: 'auto' }] },
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'I should look' }], encrypted_content: ENCRYPTED },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.', annotations: [] }] },
      { type: 'function_call', call_id: 'call_1', name: 'shot', arguments: '{"x":1}' },
      {
        type: 'function_call_output',
        call_id: 'call_1',
        output: [{ type: 'input_text', text: 'taken' }, { type: 'input_image', image_url: 'https://e.x/a.png', detail: 'auto' }],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'and?' }] },
      { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'answer in French' }] },
    ]);
    expect(dropped).toEqual([]);
  });

  it('reports reasoning it cannot hand back: unsigned, or signed by another provider', () => {
    const ir: IrRequest = {
      ...base,
      messages: [
        { role: 'user', parts: [text('q')] },
        { role: 'assistant', parts: [{ type: 'reasoning', text: 'plain' }, { type: 'reasoning', text: 't', signature: 'EqQBCkYIBx' }, { type: 'redacted_reasoning', data: 'x' }, text('a')] },
      ],
    };
    const { body, dropped } = irToResponsesRequest(ir, 'm');
    expect((body.input as unknown[]).length).toBe(2);
    expect(dropped.sort()).toEqual(['redacted_thinking', 'thinking.signature', 'thinking:unsigned']);
    expect(isOpenAiEncryptedReasoning(ENCRYPTED)).toBe(true);
  });

  it('maps tools, tool choice, output format, reasoning and limits to their Responses fields', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const { body, dropped } = irToResponsesRequest(
      {
        ...base,
        stream: true,
        tools: [{ name: 'f', description: 'does f', parameters: schema }],
        toolChoice: { type: 'tool', name: 'f' },
        parallelToolCalls: false,
        responseFormat: { type: 'json_schema', name: 'out', schema },
        thinking: { enabled: true, budgetTokens: 2048 },
        maxTokens: 100,
        temperature: 0.2,
        topP: 0.9,
        topK: 5,
        stop: ['END'],
        user: { id: 'u1', field: 'user' },
        messages: [{ role: 'user', parts: [text('q')] }],
      },
      'm',
    );
    expect(body).toMatchObject({
      tools: [{ type: 'function', name: 'f', description: 'does f', parameters: schema, strict: false }],
      tool_choice: { type: 'function', name: 'f' },
      parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'out', strict: true, schema: { ...schema, additionalProperties: false } } },
      reasoning: { effort: 'low', summary: 'auto' },
      max_output_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      user: 'u1',
      stream: true,
    });
    expect(dropped.sort()).toEqual(['stop', 'top_k']);
  });

  it('asks for a JSON object in the instructions when the conversation never says JSON (OpenAI refuses json_object otherwise)', () => {
    const { body } = irToResponsesRequest({ ...base, responseFormat: { type: 'json_object' }, messages: [{ role: 'user', parts: [text('q')] }] }, 'm');
    expect(body.text).toEqual({ format: { type: 'json_object' } });
    expect(body.instructions).toMatch(/JSON/);
  });
});
