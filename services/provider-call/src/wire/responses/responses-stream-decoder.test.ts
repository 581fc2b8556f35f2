import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { ResponsesStreamDecoder } from './responses-stream-decoder.js';

const ev = (data: Record<string, unknown>) => ({ event: String(data.type), data: JSON.stringify(data) });
const usage = { input_tokens: 5, input_tokens_details: { cached_tokens: 0 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 2 } };

function run(events: Array<Record<string, unknown>>): IrStreamEvent[] {
  const decoder = new ResponsesStreamDecoder();
  return [...events.flatMap((e) => decoder.push(ev(e))), ...decoder.end()];
}

describe('Responses stream → IR events', () => {
  it('reads reasoning summaries, text, a function call and the final usage and stop', () => {
    const out = run([
      { type: 'response.created', response: { id: 'resp_1', model: 'gpt-5.1', status: 'in_progress' } },
      { type: 'response.output_item.added', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } },
      { type: 'response.reasoning_summary_part.added', output_index: 0, summary_index: 0 },
      { type: 'response.reasoning_summary_text.delta', output_index: 0, summary_index: 0, delta: 'think' },
      { type: 'response.reasoning_summary_part.added', output_index: 0, summary_index: 1 },
      { type: 'response.reasoning_summary_text.delta', output_index: 0, summary_index: 1, delta: 'more' },
      { type: 'response.output_item.done', output_index: 0, item: { id: 'rs_1', type: 'reasoning', encrypted_content: 'gAAAAAx' } },
      { type: 'response.output_text.delta', output_index: 1, delta: 'Hi' },
      { type: 'response.output_item.added', output_index: 2, item: { id: 'fc_1', type: 'function_call', call_id: 'call_9', name: 'f', arguments: '' } },
      { type: 'response.function_call_arguments.delta', output_index: 2, delta: '{"a":' },
      { type: 'response.function_call_arguments.delta', output_index: 2, delta: '1}' },
      { type: 'response.function_call_arguments.done', output_index: 2, arguments: '{"a":1}' },
      { type: 'response.completed', response: { status: 'completed', usage } },
    ]);
    expect(out).toEqual([
      { type: 'model', model: 'gpt-5.1' },
      { type: 'reasoning', text: 'think' },
      { type: 'reasoning', text: '\n\n' },
      { type: 'reasoning', text: 'more' },
      { type: 'reasoning_end', signature: 'gAAAAAx' },
      { type: 'text', text: 'Hi' },
      { type: 'tool_call_start', index: 0, id: 'call_9', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a":' },
      { type: 'tool_call_delta', index: 0, arguments: '1}' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 7, cachedInputTokens: 0, reasoningTokens: 2 } },
      { type: 'stop', reason: 'tool_use' },
    ]);
  });

  it('takes arguments sent only whole, and ends an incomplete response at max_tokens', () => {
    const out = run([
      { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', call_id: 'c', name: 'f' } },
      { type: 'response.function_call_arguments.done', output_index: 0, arguments: '{}' },
      { type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage } },
    ]);
    expect(out).toContainEqual({ type: 'tool_call_delta', index: 0, arguments: '{}' });
    expect(out.at(-1)).toEqual({ type: 'stop', reason: 'max_tokens' });
  });

  it('reports response.failed and error events as failures with their status, and a cut body as truncated', () => {
    const failed = () => run([{ type: 'response.failed', response: { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow down' } } }]);
    expect(failed).toThrow('slow down');
    try {
      failed();
    } catch (error) {
      expect((error as AppError).details.upstreamStatus).toBe('429');
    }
    expect(() => run([{ type: 'error', code: 'server_error', message: 'boom', param: null }])).toThrow('boom');
    expect(() => run([{ type: 'response.output_text.delta', output_index: 0, delta: 'Hi' }])).toThrow(/ended before its final event/);
  });
});
