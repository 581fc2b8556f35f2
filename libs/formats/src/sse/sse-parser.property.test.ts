import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser.js';

// However the network cuts a body into pieces (inside a multi-byte UTF-8 character, between the CR
// and LF of a CRLF, one byte at a time), the parser gives the events of the whole body.

function parseInPieces(bytes: Uint8Array, cuts: readonly number[]): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...parser.push(bytes.subarray(from, cut)));
    from = cut;
  }
  events.push(...parser.end());
  return events;
}

/** Text without line breaks, rich in multi-byte characters (2-, 3- and 4-byte UTF-8). */
const lineText = fc.string({
  unit: fc.oneof(fc.constantFrom('é', '中', '🌍', '👍🏽', ':', ' ', 'a', '{', '"', '\u00a0'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
  maxLength: 20,
}).map((s) => s.replace(/[\r\n]/g, ''));

const eventArb = fc.record({
  event: fc.option(lineText.filter((t) => t !== '' && !t.startsWith(' ')), { nil: undefined }),
  lines: fc.array(lineText, { minLength: 1, maxLength: 3 }),
  comment: fc.option(lineText, { nil: undefined }),
  newline: fc.constantFrom('\n', '\r\n', '\r'),
});

type GeneratedEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

function serialize(events: GeneratedEvent[]): string {
  return events
    .map(({ event, lines, comment, newline }) => {
      const fields = [
        ...(comment === undefined ? [] : [`:${comment}`]),
        ...(event === undefined ? [] : [`event: ${event}`]),
        ...lines.map((line) => `data: ${line}`),
      ];
      return fields.join(newline) + newline + newline;
    })
    .join('');
}

const expected = (events: GeneratedEvent[]): SseEvent[] => events.map((e) => ({ event: e.event ?? 'message', data: e.lines.join('\n') }));

const body = fc.array(eventArb, { minLength: 1, maxLength: 8 }).map((events) => ({ events, bytes: new TextEncoder().encode(serialize(events)) }));
const withCuts = body.chain(({ events, bytes }) =>
  fc.record({
    events: fc.constant(events),
    bytes: fc.constant(bytes),
    cuts: fc.uniqueArray(fc.integer({ min: 0, max: bytes.length }), { maxLength: 24 }).map((cuts) => cuts.sort((a, b) => a - b)),
  }),
);

describe('SseParser (property)', () => {
  it('gives the same events for any split of the byte stream', () => {
    fc.assert(
      fc.property(withCuts, ({ events, bytes, cuts }) => {
        expect(parseInPieces(bytes, cuts)).toEqual(expected(events));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same events fed one byte at a time', () => {
    fc.assert(
      fc.property(body, ({ events, bytes }) => {
        expect(parseInPieces(bytes, Array.from({ length: bytes.length }, (_, i) => i))).toEqual(expected(events));
      }),
      { numRuns: 100 },
    );
  });

  it('splits inside every CRLF and every multi-byte character the same way', () => {
    fc.assert(
      fc.property(body, ({ events, bytes }) => {
        const text = new TextDecoder().decode(bytes);
        const cuts: number[] = [];
        let at = 0;
        for (const char of text) {
          const size = new TextEncoder().encode(char).length;
          if (size > 1) cuts.push(at + 1, at + size - 1);
          if (char === '\r') cuts.push(at + 1);
          at += size;
        }
        expect(parseInPieces(bytes, [...new Set(cuts)].sort((a, b) => a - b))).toEqual(expected(events));
      }),
      { numRuns: 200 },
    );
  });
});
