import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.js';
import { EventFramer, JSON_ARRAY_FRAMING, SSE_FRAMING, streamFraming, type StreamEvent } from './stream-framing.js';

function frame(framer: EventFramer, events: StreamEvent[]): string {
  return events.map((e) => framer.event(e.data, e.event)).join('') + framer.close();
}

const jsonEvent = fc.record({ data: fc.jsonValue().map((v) => JSON.stringify(v)), event: fc.option(fc.stringMatching(/^[a-z_]{1,12}$/), { nil: undefined }) });

describe('stream framing', () => {
  it('SSE: what the framer writes, the one SSE parser reads back, for any split of the bytes', () => {
    fc.assert(
      fc.property(fc.array(jsonEvent, { maxLength: 8 }), fc.integer({ min: 1, max: 7 }), (events, step) => {
        const bytes = new TextEncoder().encode(frame(new EventFramer(SSE_FRAMING), events));
        const parser = new SseParser();
        const read = [];
        for (let at = 0; at < bytes.length; at += step) read.push(...parser.push(bytes.subarray(at, at + step)));
        read.push(...parser.end());
        expect(read).toEqual(events.map((e) => ({ event: e.event ?? 'message', data: e.data })));
      }),
    );
  });

  it('JSON array: the events are the elements of one valid array, in order', () => {
    fc.assert(
      fc.property(fc.array(jsonEvent, { maxLength: 8 }), (events) => {
        const text = frame(new EventFramer(JSON_ARRAY_FRAMING), events);
        expect(JSON.parse(text)).toEqual(events.map((e) => JSON.parse(e.data)));
      }),
    );
  });

  it('JSON array: Google’s separators, and an empty stream is an empty array', () => {
    expect(frame(new EventFramer(JSON_ARRAY_FRAMING), [{ data: '{"a":1}' }, { data: '{"b":2}' }])).toBe('[{"a":1}\n,\r\n{"b":2}\n]');
    expect(new EventFramer(JSON_ARRAY_FRAMING).close()).toBe('[]');
    expect(JSON_ARRAY_FRAMING.contentType).toMatch(/^application\/json/);
  });

  it('SSE: names events only when they have a name, and adds nothing at the end', () => {
    expect(frame(new EventFramer(), [{ data: '{}' }, { data: '{}', event: 'message_stop' }])).toBe('data: {}\n\nevent: message_stop\ndata: {}\n\n');
    expect(SSE_FRAMING.contentType).toMatch(/^text\/event-stream/);
    expect(streamFraming('sse')).toBe(SSE_FRAMING);
    expect(streamFraming('json-array')).toBe(JSON_ARRAY_FRAMING);
  });
});
