import { describe, expect, it } from 'vitest';
import { SseParser } from '@aigw/formats';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { responsesRequestToIr } from './responses-request.js';
import { ResponsesStreamEncoder } from './responses-stream-encoder.js';

type Event = Record<string, any> & { type: string; sequence_number: number };

/** The encoder's text for `events` (then a clean end, or `fail`), read back as SSE events. */
function run(events: IrStreamEvent[], request: Record<string, unknown> = {}, fail?: { status: number; message: string }): { names: string[]; events: Event[] } {
  const decoded = responsesRequestToIr({ model: 'gpt-5', input: 'hi', stream: true, ...request }, true);
  const encoder = new ResponsesStreamEncoder({ requestId: 'r', model: 'gpt-5', responseId: 'resp_1', ...(decoded.answer === undefined ? {} : { answer: decoded.answer }) });
  let text = encoder.begin();
  for (const event of events) text += encoder.push(event);
  text += fail === undefined ? encoder.end() : encoder.fail(fail);
  const parsed = new SseParser().push(Buffer.from(text));
  const out = parsed.map((e) => JSON.parse(e.data) as Event);
  parsed.forEach((e, i) => expect(e.event).toBe(out[i]?.type));
  return { names: out.map((e) => e.type), events: out };
}

const usage: IrStreamEvent = { type: 'usage', usage: { inputTokens: 10, outputTokens: 6, cachedInputTokens: 2, reasoningTokens: 3 } };

describe('IR stream → Responses stream events', () => {
  it('sends text in OpenAI’s order with consecutive sequence numbers, and the whole response at the end', () => {
    const { names, events } = run([{ type: 'text', text: 'Hel' }, { type: 'text', text: 'lo' }, { type: 'stop', reason: 'end_turn' }, usage]);
    expect(names).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.content_part.added',
      'response.output_text.delta', 'response.output_text.delta', 'response.output_text.done',
      'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[0]?.response).toMatchObject({ id: 'resp_1', object: 'response', status: 'in_progress', output: [], usage: null, model: 'gpt-5' });
    const itemId = events[2]?.item.id;
    expect(events[2]?.item).toEqual({ id: itemId, type: 'message', status: 'in_progress', content: [], role: 'assistant' });
    expect(events[4]).toMatchObject({ item_id: itemId, output_index: 0, content_index: 0, delta: 'Hel' });
    expect(events[6]).toMatchObject({ item_id: itemId, text: 'Hello' });
    const completed = events.at(-1)?.response;
    expect(completed).toMatchObject({ id: 'resp_1', status: 'completed', usage: { input_tokens: 10, output_tokens: 6, total_tokens: 16, input_tokens_details: { cached_tokens: 2 }, output_tokens_details: { reasoning_tokens: 3 } } });
    expect(completed.output).toEqual([{ id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Hello' }] }]);
  });

  it('streams reasoning as a summary, closes it with its signature, then the message', () => {
    const { names, events } = run([
      { type: 'reasoning', text: 'Let me ' },
      { type: 'reasoning', text: 'think.' },
      { type: 'reasoning_end', signature: 'SIG' },
      { type: 'text', text: 'Done.' },
    ]);
    expect(names.slice(2, 9)).toEqual([
      'response.output_item.added', 'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done', 'response.output_item.done',
    ]);
    expect(events[6]).toMatchObject({ summary_index: 0, text: 'Let me think.' });
    expect(events[8]?.item).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think.' }], encrypted_content: 'SIG' });
    expect(events.at(-1)?.response.output.map((i: { type: string }) => i.type)).toEqual(['reasoning', 'message']);
  });

  it('delivers each tool call’s arguments whole in its done events, parallel calls one after the other', () => {
    const { names, events } = run([
      { type: 'tool_call_start', index: 0, id: 'call_a', name: 'weather' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
      { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
      { type: 'tool_call_start', index: 1, id: 'call_b', name: 'multi__spawn' },
      { type: 'tool_call_delta', index: 1, arguments: '{}' },
      { type: 'stop', reason: 'tool_use' },
    ], { tools: [{ type: 'function', name: 'weather' }, { type: 'namespace', name: 'multi', tools: [{ type: 'function', name: 'spawn' }] }] });
    expect(names.slice(2)).toEqual([
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
      'response.function_call_arguments.done', 'response.output_item.done',
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.done', 'response.output_item.done',
      'response.completed',
    ]);
    expect(events[2]?.item).toMatchObject({ type: 'function_call', status: 'in_progress', arguments: '', call_id: 'call_a', name: 'weather' });
    expect(events[5]).toMatchObject({ output_index: 0, arguments: '{"city":"Paris"}', name: 'weather' });
    expect(events[6]?.item).toMatchObject({ status: 'completed', arguments: '{"city":"Paris"}' });
    expect(events[7]).toMatchObject({ output_index: 1 });
    expect(events[7]?.item).toMatchObject({ name: 'spawn', namespace: 'multi', call_id: 'call_b' });
    expect(events[10]?.item).toMatchObject({ name: 'spawn', namespace: 'multi', arguments: '{}', status: 'completed' });
  });

  it('sends a custom tool’s input whole, as custom_tool_call events', () => {
    const { names, events } = run([
      { type: 'tool_call_start', index: 0, id: 'c1', name: 'apply_patch' },
      { type: 'tool_call_delta', index: 0, arguments: '{"input":"*** Begin' },
      { type: 'tool_call_delta', index: 0, arguments: ' Patch"}' },
    ], { tools: [{ type: 'custom', name: 'apply_patch' }] });
    expect(names.slice(2, 6)).toEqual(['response.output_item.added', 'response.custom_tool_call_input.delta', 'response.custom_tool_call_input.done', 'response.output_item.done']);
    expect(events[4]).toMatchObject({ input: '*** Begin Patch' });
    expect(events[5]?.item).toMatchObject({ type: 'custom_tool_call', call_id: 'c1', name: 'apply_patch', input: '*** Begin Patch' });
  });

  it('ends a cut answer with response.incomplete, saying why', () => {
    const { names, events } = run([{ type: 'text', text: 'Once' }, { type: 'stop', reason: 'max_tokens' }]);
    expect(names.at(-1)).toBe('response.incomplete');
    expect(events.at(-1)?.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect(events.at(-2)?.item.status).toBe('incomplete');
  });

  it('gives a signature that stood alone (Gemini’s, on the next call) its own reasoning item', () => {
    const { events } = run([{ type: 'reasoning_end' }, { type: 'reasoning_end', signature: 'G' }, { type: 'tool_call_start', index: 0, id: 'c', name: 'f' }]);
    expect(events.at(-1)?.response.output.map((i: Record<string, unknown>) => [i.type, i.encrypted_content])).toEqual([['reasoning', 'G'], ['function_call', undefined]]);
  });

  it('ends a broken stream with `error` then `response.failed`, never a clean end', () => {
    const { names, events } = run([{ type: 'text', text: 'Par' }], {}, { status: 502, message: 'upstream broke' });
    expect(names.slice(-2)).toEqual(['error', 'response.failed']);
    expect(names).not.toContain('response.completed');
    expect(events.at(-2)).toMatchObject({ code: 'upstream_error', message: 'upstream broke', error: { type: 'server_error', message: 'upstream broke' } });
    expect(events.at(-1)?.response).toMatchObject({ status: 'failed', error: { code: 'upstream_error', message: 'upstream broke' } });
    expect(events.at(-1)?.response.output[0]).toMatchObject({ type: 'message', status: 'incomplete', content: [{ text: 'Par' }] });
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it('refuses arguments for a call already closed, rather than send it incomplete', () => {
    const decoded = responsesRequestToIr({ model: 'm', input: 'x' }, true);
    const encoder = new ResponsesStreamEncoder({ requestId: 'r', model: 'm', ...(decoded.answer ? { answer: decoded.answer } : {}) });
    encoder.begin();
    encoder.push({ type: 'tool_call_start', index: 0, id: 'a', name: 'f' });
    encoder.push({ type: 'tool_call_start', index: 1, id: 'b', name: 'f' });
    expect(() => encoder.push({ type: 'tool_call_delta', index: 0, arguments: '{}' })).toThrow(/outside that call/);
  });
});
