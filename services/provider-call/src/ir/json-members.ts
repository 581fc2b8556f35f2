// The top-level members of a JSON object, found in its bytes without parsing it. A pass-through call changes one
// or two members of the client's body (the routed model, the stream flag) and sends the rest as it came: an
// agent's 100 KB turn is then neither parsed nor serialised again in this service (JSON.parse + JSON.stringify
// of such a body cost ≈ 0.5 ms warm and over 1 ms in a process that was idle, on the request's path).
//
// The scanner walks the structure only: strings are skipped with Buffer.indexOf (native), so its cost grows with
// the number of tokens outside strings, not with the bytes of the file contents and prompts inside them. It
// assumes what ingress guarantees (the body was parsed there, so it is valid JSON) and gives up (undefined) on
// anything it does not expect, so that the caller falls back to parsing: a key written with escapes, a key that
// appears twice, a body that is not an object.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Where one member sits: the whole `"key": value` and its value, as byte offsets (end exclusive). */
export interface MemberSpan {
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

/** A JSON object's top-level members by key, in the order they appear. */
export interface JsonMembers {
  readonly bytes: Uint8Array;
  readonly members: ReadonlyMap<string, MemberSpan>;
}

const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

function skipSpace(bytes: Uint8Array, at: number): number {
  while (isSpace(bytes[at])) at += 1;
  return at;
}

/** Offset just past the string that opens at `at` (a quote), or -1. */
function stringEnd(buffer: Buffer, at: number): number {
  let from = at + 1;
  for (;;) {
    const quote = buffer.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (buffer[quote - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Offset just past the value that starts at `at`, or -1. */
function valueEnd(buffer: Buffer, at: number): number {
  const first = buffer[at];
  if (first === QUOTE) return stringEnd(buffer, at);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A number, true, false or null: up to the next delimiter.
    let end = at;
    for (;;) {
      const byte = buffer[end];
      if (byte === undefined || byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) break;
      end += 1;
    }
    return end > at ? end : -1;
  }
  let depth = 0;
  let position = at;
  while (position < buffer.length) {
    const byte = buffer[position];
    if (byte === QUOTE) {
      position = stringEnd(buffer, position);
      if (position < 0) return -1;
      continue;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 0) return position + 1;
    }
    position += 1;
  }
  return -1;
}

/** The top-level members of the JSON object in `bytes`; undefined when the scanner cannot vouch for them. */
export function jsonMembers(bytes: Uint8Array): JsonMembers | undefined {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const members = new Map<string, MemberSpan>();
  let at = skipSpace(buffer, 0);
  if (buffer[at] !== OPEN_BRACE) return undefined;
  at = skipSpace(buffer, at + 1);
  if (buffer[at] === CLOSE_BRACE) return skipSpace(buffer, at + 1) === buffer.length ? { bytes: buffer, members } : undefined;
  for (;;) {
    if (buffer[at] !== QUOTE) return undefined;
    const start = at;
    const keyEnd = stringEnd(buffer, at);
    if (keyEnd < 0) return undefined;
    // Escapes in a key would hide its name from a byte comparison: leave such a body to the parser.
    for (let i = at + 1; i < keyEnd; i += 1) if (buffer[i] === BACKSLASH) return undefined;
    const key = buffer.toString('utf8', at + 1, keyEnd - 1);
    at = skipSpace(buffer, keyEnd);
    if (buffer[at] !== COLON) return undefined;
    const valueStart = skipSpace(buffer, at + 1);
    const end = valueEnd(buffer, valueStart);
    if (end < 0 || members.has(key)) return undefined;
    members.set(key, { start, end, valueStart, valueEnd: end });
    at = skipSpace(buffer, end);
    if (buffer[at] === COMMA) {
      at = skipSpace(buffer, at + 1);
      continue;
    }
    if (buffer[at] !== CLOSE_BRACE || skipSpace(buffer, at + 1) !== buffer.length) return undefined;
    return { bytes: buffer, members };
  }
}

/** The text of a member's value (to parse a small one, such as stream_options), or undefined when absent. */
export function memberText(object: JsonMembers, key: string): string | undefined {
  const span = object.members.get(key);
  return span === undefined ? undefined : Buffer.from(object.bytes.buffer, object.bytes.byteOffset, object.bytes.byteLength).toString('utf8', span.valueStart, span.valueEnd);
}

/**
 * The object's bytes with `changes` applied: a member set to a value gets that value (JSON-encoded) where it
 * stood, or is added at the end; a member set to undefined is removed. Every other member is copied byte for
 * byte; only the separators between top-level members are written anew (without whitespace).
 */
export function withMembers(object: JsonMembers, changes: Readonly<Record<string, unknown>>): Buffer {
  const source = Buffer.from(object.bytes.buffer, object.bytes.byteOffset, object.bytes.byteLength);
  const parts: Buffer[] = [OPEN];
  const add = (piece: Buffer) => {
    if (parts.length > 1) parts.push(SEPARATOR);
    parts.push(piece);
  };
  const encoded = (key: string, value: unknown) => Buffer.from(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  // The map keeps the members in the body's order; separators are written anew.
  for (const [key, span] of object.members) {
    if (!Object.hasOwn(changes, key)) add(source.subarray(span.start, span.end));
    else if (changes[key] !== undefined) add(encoded(key, changes[key]));
  }
  for (const [key, value] of Object.entries(changes)) if (value !== undefined && !object.members.has(key)) add(encoded(key, value));
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

const OPEN = Buffer.from('{');
const CLOSE = Buffer.from('}');
const SEPARATOR = Buffer.from(',');
