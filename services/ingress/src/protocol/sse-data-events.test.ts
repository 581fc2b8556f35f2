import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseDataEvents } from './sse-data-events.js';

function readAll(parts: Buffer[]): string[] {
  const reader = new SseDataEvents();
  return [...parts.flatMap((part) => reader.push(part)), ...reader.end()];
}

const STREAM = Buffer.from(
  ': keep-alive\n\ndata: {"a":"é€😀"}\n\nevent: x\nid: 3\ndata: {"b":1}\r\n\r\ndata: line1\ndata:line2\n\ndata: {"c":[]}\r\rdata: tail',
);
const EXPECTED = ['{"a":"é€😀"}', '{"b":1}', 'line1\nline2', '{"c":[]}', 'tail'];

describe('SseDataEvents', () => {
  it('reads data payloads, joining multi-line data and ignoring comments and other fields', () => {
    expect(readAll([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same payloads for any split of the bytes, CRLF pairs and UTF-8 sequences included', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: STREAM.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), STREAM.length];
        const parts = points.slice(1).map((end, i) => STREAM.subarray(points[i], end));
        expect(readAll(parts)).toEqual(EXPECTED);
      }),
    );
  });

  it('treats \\r\\n split across chunks as one line end, not two', () => {
    expect(readAll([Buffer.from('data: a\r'), Buffer.from('\ndata: b\r\n\r\n')])).toEqual(['a\nb']);
  });
});
