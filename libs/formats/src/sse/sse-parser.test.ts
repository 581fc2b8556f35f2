import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser.js';
import { formatSseEvent } from './stream-framing.js';

function parseInPieces(bytes: Uint8Array, cuts: number[]): SseEvent[] {
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

const SAMPLE = [
  ': keep-alive comment\n',
  'data: {"a":1}\n\n',
  'event: content_block_delta\r\ndata: {"text":"héllo 🌍"}\r\n\r\n',
  'data: line one\rdata: line two\r\r',
  'id: 7\nretry: 100\ndata:no-space\n\n',
  'data: [DONE]\n\n',
].join('');

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"a":1}' },
  { event: 'content_block_delta', data: '{"text":"héllo 🌍"}' },
  { event: 'message', data: 'line one\nline two' },
  { event: 'message', data: 'no-space' },
  { event: 'message', data: '[DONE]' },
];

describe('SseParser', () => {
  const bytes = new TextEncoder().encode(SAMPLE);

  it('parses a whole body', () => {
    expect(parseInPieces(bytes, [])).toEqual(EXPECTED);
  });

  it('gives the same events when the body is split at any one position', () => {
    for (let cut = 0; cut <= bytes.length; cut++) expect(parseInPieces(bytes, [cut])).toEqual(EXPECTED);
  });

  it('gives the same events when split at any two positions', () => {
    for (let a = 0; a <= bytes.length; a += 3) {
      for (let b = a; b <= bytes.length; b += 2) expect(parseInPieces(bytes, [a, b])).toEqual(EXPECTED);
    }
  });

  it('gives the same events fed one byte at a time', () => {
    const cuts = Array.from({ length: bytes.length }, (_, i) => i);
    expect(parseInPieces(bytes, cuts)).toEqual(EXPECTED);
  });

  it('treats a CR at the end of a piece followed by LF as one line end', () => {
    const parser = new SseParser();
    expect(parser.push(new TextEncoder().encode('data: x\r'))).toEqual([]);
    expect(parser.push(new TextEncoder().encode('\n\r'))).toEqual([{ event: 'message', data: 'x' }]);
    expect(parser.push(new TextEncoder().encode('\ndata: y\n\n'))).toEqual([{ event: 'message', data: 'y' }]);
  });

  it('returns a last event without its blank line at a clean end', () => {
    const parser = new SseParser();
    expect(parser.push(new TextEncoder().encode('data: last'))).toEqual([]);
    expect(parser.end()).toEqual([{ event: 'message', data: 'last' }]);
  });

  it('ignores events without data', () => {
    const parser = new SseParser();
    expect(parser.push(new TextEncoder().encode('event: ping\n\ndata: a\n\n'))).toEqual([{ event: 'message', data: 'a' }]);
  });

  it('frames events for the wire', () => {
    expect(formatSseEvent('{}')).toBe('data: {}\n\n');
    expect(formatSseEvent('{}', 'message_stop')).toBe('event: message_stop\ndata: {}\n\n');
  });
});
