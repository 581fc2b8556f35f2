import { expect } from 'vitest';
import type { Response, ResponseOutputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';

// What a Responses API stream must hold together, checked on every streamed conformance case: the SDK's
// stream helper builds its final response from `response.completed` alone, so deltas that do not add up
// to it (a truncated tool-call argument, a lost text fragment) would pass unnoticed without this.

type ItemTrace = { added: boolean; done?: ResponseOutputItem; text: string; textDone?: string; args: string; argsDone?: string; summary: string; reasoning: string };

/** The terminal events a clean stream may end with (failed and error never in a passing case). */
const TERMINAL = new Set(['response.completed', 'response.incomplete']);

/**
 * Checks the event sequence of one streamed answer against its final response: created, then in_progress,
 * first; increasing sequence numbers; every output item added before it is done, and its deltas (text,
 * function-call arguments, reasoning) joined equal to the item's done event and to the final response.
 */
export function expectCoherentStream(events: readonly ResponseStreamEvent[], final: Response): void {
  const types = events.map((e) => e.type);
  expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
  expect(TERMINAL.has(types.at(-1) ?? ''), `stream ends with ${types.at(-1)}`).toBe(true);
  expect(types.filter((t) => TERMINAL.has(t) || t === 'response.failed' || t === 'error')).toHaveLength(1);
  const sequence = events.map((e) => e.sequence_number);
  expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
  expect(new Set(sequence).size).toBe(sequence.length);

  const items = new Map<number, ItemTrace>();
  const trace = (index: number): ItemTrace => {
    const found = items.get(index);
    if (found === undefined) throw new Error(`event for output ${index} before response.output_item.added (${types.join(', ')})`);
    return found;
  };
  for (const event of events) {
    switch (event.type) {
      case 'response.output_item.added':
        expect(items.has(event.output_index), `output ${event.output_index} added twice`).toBe(false);
        items.set(event.output_index, { added: true, text: '', args: '', summary: '', reasoning: '' });
        break;
      case 'response.output_item.done':
        trace(event.output_index).done = event.item;
        break;
      case 'response.output_text.delta':
        trace(event.output_index).text += event.delta;
        break;
      case 'response.output_text.done':
        trace(event.output_index).textDone = event.text;
        break;
      case 'response.function_call_arguments.delta':
        trace(event.output_index).args += event.delta;
        break;
      case 'response.function_call_arguments.done':
        trace(event.output_index).argsDone = event.arguments;
        break;
      case 'response.reasoning_summary_text.delta':
        trace(event.output_index).summary += event.delta;
        break;
      case 'response.reasoning_text.delta':
        trace(event.output_index).reasoning += event.delta;
        break;
      default:
        break;
    }
  }

  expect([...items.keys()].sort((a, b) => a - b)).toEqual(final.output.map((_, i) => i));
  final.output.forEach((item, index) => {
    const seen = trace(index);
    expect(seen.done, `output ${index} has no response.output_item.done`).toBeDefined();
    expect(seen.done?.type).toBe(item.type);
    if (item.type === 'message') {
      const text = item.content.map((part) => (part.type === 'output_text' ? part.text : '')).join('');
      expect(seen.text).toBe(text);
      expect(seen.textDone).toBe(text);
    } else if (item.type === 'function_call') {
      // The arguments arrive whole: the deltas make the done event's arguments, which are the final ones.
      expect(seen.args).toBe(item.arguments);
      expect(seen.argsDone).toBe(item.arguments);
      expect(() => JSON.parse(item.arguments) as unknown).not.toThrow();
      expect(seen.done).toMatchObject({ call_id: item.call_id, name: item.name, arguments: item.arguments });
    } else if (item.type === 'reasoning') {
      expect(seen.summary).toBe(item.summary.map((s) => s.text).join(''));
      expect(seen.reasoning).toBe((item.content ?? []).map((c) => c.text).join(''));
    }
  });
}
