import { isAscii } from 'node:buffer';

// Why by hand (measured, bench/src/micro/json-bytes.ts): on Node 20, decoding UTF-8 that holds any non-ASCII
// character makes V8 build a two-byte string, and that decode alone costs twice the JSON.parse after it: a
// 100 KB Claude Code turn with 125 such characters (✓, ⎿, → in tool output) decodes in ≈ 320 µs against
// ≈ 10 µs when it is ASCII. JSON allows those characters only inside strings, where `\uXXXX` means the same;
// writing each one so keeps the text one-byte (latin1, ≈ 10 µs), and JSON.parse gives back the same value.
// No maintained library does this step: the JSON parsers on npm all start from a decoded string.

const BACKSLASH = 0x5c;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A run of non-ASCII bytes as JSON escapes of the characters they encode (invalid UTF-8 as U+FFFD, like a decode). */
function escaped(bytes: Buffer, from: number, to: number): string {
  const text = bytes.toString('utf8', from, to);
  let out = '';
  for (let i = 0; i < text.length; i += 1) out += `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** True when the byte before `at` is a backslash that is not itself escaped (`\` then a non-ASCII character). */
function afterEscape(bytes: Buffer, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; i >= 0 && bytes[i] === BACKSLASH; i -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

/** Where the next byte ≥ 0x80 is, from `from` on (bytes.length if none): four bytes at a time in between. */
function nextNonAscii(bytes: Buffer, from: number): number {
  let i = from;
  // Up to the next four-byte boundary of the underlying memory, byte by byte.
  for (; (bytes.byteOffset + i) % 4 !== 0; i += 1) {
    if (i >= bytes.length) return bytes.length;
    if (bytes[i]! >= 0x80) return i;
  }
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (bytes.length - i) >> 2);
  let w = 0;
  while (w < words.length && (words[w]! & 0x80808080) === 0) w += 1;
  for (i += w * 4; i < bytes.length; i += 1) if (bytes[i]! >= 0x80) return i;
  return bytes.length;
}

/** The text with non-ASCII runs escaped; undefined when one follows a lone backslash. */
function escapedText(bytes: Buffer): string | undefined {
  let out = '';
  let written = 0;
  for (let at = nextNonAscii(bytes, 0); at < bytes.length; at = nextNonAscii(bytes, written)) {
    if (afterEscape(bytes, at)) return undefined;
    let end = at + 1;
    while (end < bytes.length && bytes[end]! >= 0x80) end += 1;
    out += bytes.toString('latin1', written, at) + escaped(bytes, at, end);
    written = end;
  }
  return out + bytes.toString('latin1', written);
}

/**
 * A UTF-8 JSON text's bytes as a string that `JSON.parse` reads to the same value as the decoded text, with
 * non-ASCII characters written as `\uXXXX` (see above); a leading byte order mark is left out. Bytes that
 * are not JSON stay not JSON. Only for parsing: the text is not the client's.
 */
export function jsonText(bytes: Buffer): string {
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  if (isAscii(body)) return body.toString('latin1');
  // `\` before a non-ASCII character is invalid JSON, and `\\u…` would not be: the plain decode keeps it invalid.
  return escapedText(body) ?? body.toString('utf8');
}

/** JSON.parse of UTF-8 bytes (a leading byte order mark skipped); throws JSON.parse's SyntaxError. */
export function parseJsonBytes(bytes: Buffer): unknown {
  return JSON.parse(jsonText(bytes)) as unknown;
}
