import { describe, expect, it } from 'vitest';
import { responsesResponseToIr } from './responses-response-decoder.js';

const usage = { input_tokens: 50, input_tokens_details: { cached_tokens: 40 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 12 }, total_tokens: 80 };

describe('Responses response → IR', () => {
  it('reads reasoning, text and function calls in order, with usage', () => {
    const ir = responsesResponseToIr({
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      model: 'gpt-5.1',
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'one' }, { type: 'summary_text', text: 'two' }], encrypted_content: 'gAAAAAx' },
        { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] },
        { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{"a":1}' },
        { id: 'ws_1', type: 'web_search_call', status: 'completed' },
      ],
      usage,
    });
    expect(ir).toEqual({
      model: 'gpt-5.1',
      parts: [
        { type: 'reasoning', text: 'one\n\ntwo', signature: 'gAAAAAx' },
        { type: 'text', text: 'Hi' },
        { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 50, outputTokens: 30, cachedInputTokens: 40, reasoningTokens: 12 },
    });
  });

  it('reads an incomplete response as max_tokens or content_filter', () => {
    const cut = (reason: string) => responsesResponseToIr({ status: 'incomplete', incomplete_details: { reason }, output: [], usage }).stopReason;
    expect(cut('max_output_tokens')).toBe('max_tokens');
    expect(cut('content_filter')).toBe('content_filter');
  });

  it('refuses a body that is no response, or a failed one', () => {
    expect(() => responsesResponseToIr({ choices: [] })).toThrow(/not a response/);
    expect(() => responsesResponseToIr({ status: 'failed', output: [], error: { code: 'server_error', message: 'boom' } })).toThrow('boom');
  });
});
