import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText, parseJsonBytes } from './json-bytes.js';

/** What JSON.parse of the decoded bytes gives: the value, or that it throws. */
function reference(bytes: Buffer): { value: unknown } | 'throws' {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return 'throws';
  }
}

function ours(bytes: Buffer): { value: unknown } | 'throws' {
  try {
    return { value: parseJsonBytes(bytes) };
  } catch {
    return 'throws';
  }
}

describe('parseJsonBytes', () => {
  it('reads non-ASCII text (two-byte, three-byte, emoji) to the same value, from a one-byte string', () => {
    const value = { content: [{ type: 'text', text: '✓ tests pass ⎿ src/a.ts → ok, café, 😀, 中文' }], n: 1 };
    const bytes = Buffer.from(JSON.stringify(value));
    expect(parseJsonBytes(bytes)).toEqual(value);
    expect(/^[\x00-\x7f]*$/.test(jsonText(bytes))).toBe(true);
  });

  it('skips a byte order mark and reads invalid UTF-8 as U+FFFD, as a decode does', () => {
    expect(parseJsonBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}')]))).toEqual({ a: 'é' });
    expect(parseJsonBytes(Buffer.from([0x22, 0xe2, 0x28, 0xff, 0x22]))).toBe('\ufffd(\ufffd');
  });

  it('keeps invalid JSON invalid: a backslash before a non-ASCII character, or one outside a string', () => {
    expect(() => parseJsonBytes(Buffer.from('{"a":"\\é"}'))).toThrow(SyntaxError);
    expect(parseJsonBytes(Buffer.from('{"a":"\\\\é"}'))).toEqual({ a: '\\é' });
    expect(() => parseJsonBytes(Buffer.from('{"a": 1é}'))).toThrow(SyntaxError);
    expect(() => parseJsonBytes(Buffer.from('é'))).toThrow(SyntaxError);
  });

  it('agrees with JSON.parse of the decoded bytes on any JSON value and on any bytes', () => {
    const text = fc.string({ unit: 'binary', maxLength: 300 });
    const json = fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null'));
    // Long values, so that the halving scan of long ASCII stretches runs too.
    const long = fc.array(text, { maxLength: 40 }).map((parts) => Buffer.from(JSON.stringify({ parts, pad: 'x'.repeat(500) })));
    const damaged = fc.tuple(json, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([bytes, at, byte]) => {
      const copy = Buffer.from(bytes);
      copy[at % copy.length] = byte;
      return copy;
    });
    const raw = fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes));
    fc.assert(
      fc.property(fc.oneof(json, long, damaged, raw), (bytes) => {
        expect(ours(bytes)).toEqual(reference(bytes));
      }),
      { numRuns: 3_000 },
    );
  });
});
