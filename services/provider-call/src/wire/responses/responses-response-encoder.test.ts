import { describe, expect, it } from 'vitest';
import type { EncodeContext } from '../../adapters/client-codec.js';
import type { IrResponse } from '../../ir/chat-ir.js';
import { responsesRequestToIr } from './responses-request.js';
import { irToResponsesResponse } from './responses-response-encoder.js';

const usage = { inputTokens: 20, outputTokens: 9, cachedInputTokens: 5, reasoningTokens: 4 };
const ctxFor = (request: Record<string, unknown>, responseId = 'resp_abc'): EncodeContext => {
  const decoded = responsesRequestToIr({ model: 'gpt-5', input: 'hi', ...request }, false);
  return { requestId: 'r1', model: 'gpt-5', responseId, ...(decoded.answer === undefined ? {} : { answer: decoded.answer }) };
};

describe('an IR answer → a Responses response object', () => {
  it('names itself by the id ingress chose and lays out items, usage and the echoed request as OpenAI does', () => {
    const response: IrResponse = {
      model: 'gpt-5-2025',
      parts: [
        { type: 'reasoning', text: 'Think.', signature: 'SIG' },
        { type: 'text', text: 'Hello ' },
        { type: 'text', text: 'world' },
        { type: 'tool_call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
      ],
      stopReason: 'tool_use',
      usage,
    };
    const body = irToResponsesResponse(response, ctxFor({ instructions: 'Be nice', temperature: 0.5, metadata: { a: 'b' }, store: false }));
    expect(body).toMatchObject({
      id: 'resp_abc',
      object: 'response',
      status: 'completed',
      error: null,
      incomplete_details: null,
      instructions: 'Be nice',
      model: 'gpt-5-2025',
      temperature: 0.5,
      store: false,
      metadata: { a: 'b' },
      usage: { input_tokens: 20, input_tokens_details: { cached_tokens: 5 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 4 }, total_tokens: 29 },
    });
    expect(typeof body.created_at).toBe('number');
    const output = body.output as Array<Record<string, unknown>>;
    expect(output.map((i) => i.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(output[0]).toEqual({ id: expect.stringMatching(/^rs_/), type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think.' }], encrypted_content: 'SIG' });
    expect(output[1]).toEqual({
      id: expect.stringMatching(/^msg_/), type: 'message', status: 'completed', role: 'assistant',
      content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Hello world' }],
    });
    expect(output[2]).toEqual({ id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', arguments: '{"city":"Paris"}', call_id: 'call_1', name: 'weather' });
  });

  it('makes an id when ingress gave none, and says a cut answer is incomplete', () => {
    const body = irToResponsesResponse({ parts: [{ type: 'text', text: 'Once upon' }], stopReason: 'max_tokens', usage }, ctxFor({}, ''));
    expect(body.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(body.model).toBe('gpt-5');
    expect([body.status, body.incomplete_details]).toEqual(['incomplete', { reason: 'max_output_tokens' }]);
    expect((body.output as Array<{ status: string }>)[0]?.status).toBe('incomplete');
  });

  it('gives calls of namespaced and custom tools back their own names and shapes', () => {
    const ctx = ctxFor({
      tools: [
        { type: 'namespace', name: 'multi', description: 'agents', tools: [{ type: 'function', name: 'spawn', parameters: {} }] },
        { type: 'custom', name: 'apply_patch' },
      ],
    });
    const body = irToResponsesResponse({
      parts: [
        { type: 'tool_call', id: 'c1', name: 'multi__spawn', arguments: '{"task":"x"}' },
        { type: 'tool_call', id: 'c2', name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n"}' },
      ],
      stopReason: 'tool_use',
      usage,
    }, ctx);
    const [call, custom] = body.output as Array<Record<string, unknown>>;
    expect(call).toMatchObject({ type: 'function_call', name: 'spawn', namespace: 'multi', call_id: 'c1', arguments: '{"task":"x"}' });
    expect(custom).toEqual({ id: expect.stringMatching(/^ctc_/), type: 'custom_tool_call', status: 'completed', call_id: 'c2', input: '*** Begin Patch\n', name: 'apply_patch' });
  });

  it('gives structured output back as the message’s output_text, and reasoning a provider signed without text as encrypted content', () => {
    const ctx = ctxFor({ text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' } } } });
    const body = irToResponsesResponse({
      parts: [{ type: 'reasoning', text: '', signature: 'gemini-sig' }, { type: 'redacted_reasoning', data: 'opaque' }, { type: 'text', text: '{"a":1}' }],
      stopReason: 'end_turn',
      usage,
    }, ctx);
    const output = body.output as Array<Record<string, unknown>>;
    expect(output[0]).toMatchObject({ type: 'reasoning', summary: [], encrypted_content: 'gemini-sig' });
    expect(output[1]).toMatchObject({ type: 'reasoning', summary: [], encrypted_content: 'aigw-redacted:opaque' });
    expect(output[2]).toMatchObject({ content: [{ type: 'output_text', text: '{"a":1}' }] });
    expect(body.text).toEqual({ format: { type: 'json_schema', name: 'out', schema: { type: 'object' } }, verbosity: 'medium' });
  });

  it('round-trips its own output: signed and redacted reasoning come back as what they were', () => {
    const body = irToResponsesResponse({
      parts: [{ type: 'reasoning', text: 'T', signature: 'S' }, { type: 'redacted_reasoning', data: 'D' }, { type: 'tool_call', id: 'c', name: 'f', arguments: '{}' }],
      stopReason: 'tool_use',
      usage,
    }, ctxFor({}));
    const input = [{ role: 'user', content: 'x' }, ...(body.output as unknown[]), { type: 'function_call_output', call_id: 'c', output: 'r' }];
    const { ir } = responsesRequestToIr({ model: 'm', input }, false);
    expect(ir.messages[1]?.parts).toEqual([
      { type: 'reasoning', text: 'T', signature: 'S' },
      { type: 'redacted_reasoning', data: 'D' },
      { type: 'tool_call', id: 'c', name: 'f', arguments: '{}' },
    ]);
  });
});
