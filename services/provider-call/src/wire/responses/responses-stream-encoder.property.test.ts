import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { SseParser } from '@aigw/formats';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { ResponsesStreamEncoder } from './responses-stream-encoder.js';

// Whatever IR events a provider's stream decoder produces, the Responses stream stays well formed: events
// named after their type and numbered without a gap, items one after the other (added, content, done), each
// done item exactly what the final response holds, text and arguments in the done events equal to their
// deltas joined. The only refusal is arguments for a call already closed (AppError UPSTREAM_ERROR).

const text = fc.string({ maxLength: 6 });
const irEvent: fc.Arbitrary<IrStreamEvent> = fc.oneof(
  text.map((t) => ({ type: 'text', text: t }) as const),
  text.map((t) => ({ type: 'reasoning', text: t }) as const),
  fc.option(text, { nil: undefined }).map((signature) => (signature === undefined ? { type: 'reasoning_end' } : { type: 'reasoning_end', signature }) as IrStreamEvent),
  text.map((data) => ({ type: 'reasoning_redacted', data }) as const),
  fc.nat({ max: 2 }).map((index) => ({ type: 'tool_call_start', index, id: `call_${index}`, name: 'f' }) as const),
  fc.tuple(fc.nat({ max: 2 }), text).map(([index, args]) => ({ type: 'tool_call_delta', index, arguments: args }) as const),
  fc.constantFrom('end_turn', 'max_tokens', 'tool_use').map((reason) => ({ type: 'stop', reason }) as const),
);

type Event = Record<string, any>;

function encode(events: IrStreamEvent[], fail: boolean): Event[] | 'refused' {
  const encoder = new ResponsesStreamEncoder({ requestId: 'r', model: 'm' });
  let out = encoder.begin();
  try {
    for (const event of events) out += encoder.push(event);
  } catch (error) {
    if (error instanceof AppError && error.code === 'UPSTREAM_ERROR') return 'refused';
    throw error;
  }
  out += fail ? encoder.fail({ status: 503, message: 'gone' }) : encoder.end();
  const parsed = new SseParser().push(new TextEncoder().encode(out));
  return parsed.map((e) => {
    const data = JSON.parse(e.data) as Event;
    expect(e.event).toBe(data.type);
    return data;
  });
}

describe('the Responses stream encoder (property)', () => {
  it('writes a well-formed stream for any sequence of IR events', () => {
    fc.assert(
      fc.property(fc.array(irEvent, { maxLength: 14 }), fc.boolean(), (events, fail) => {
        const out = encode(events, fail);
        if (out === 'refused') return;
        expect(out.map((e) => e.sequence_number)).toEqual(out.map((_, i) => i));
        expect(out.slice(0, 2).map((e) => e.type)).toEqual(['response.created', 'response.in_progress']);
        const last = out.at(-1) as Event;
        if (fail) expect(out.slice(-2).map((e) => e.type)).toEqual(['error', 'response.failed']);
        else expect(['response.completed', 'response.incomplete']).toContain(last.type);

        let open: number | undefined;
        const done: Event[] = [];
        const deltas = new Map<string, string>();
        for (const e of out.slice(2, fail ? -2 : -1)) {
          if (e.type === 'response.output_item.added') {
            expect(open).toBeUndefined();
            expect(e.output_index).toBe(done.length);
            open = e.output_index;
          } else if (e.type === 'response.output_item.done') {
            expect(e.output_index).toBe(open);
            done.push(e.item);
            open = undefined;
          } else {
            expect(e.output_index).toBe(open);
            if (e.delta !== undefined) deltas.set(e.item_id, (deltas.get(e.item_id) ?? '') + e.delta);
          }
        }
        if (fail) return;
        expect(open).toBeUndefined();
        expect(last.response.output).toEqual(done);
        for (const item of done) {
          if (item.type === 'message') expect(item.content[0].text).toBe(deltas.get(item.id) ?? '');
          if (item.type === 'function_call') expect(item.arguments).toBe(deltas.get(item.id) ?? '');
          if (item.type === 'reasoning' && item.summary.length > 0) expect(item.summary[0].text).toBe(deltas.get(item.id));
        }
      }),
      { numRuns: 500 },
    );
  });
});
