/** Longest x-aigw-dropped value sent; proxies commonly reject header blocks over 8 KB. The log event has the full list. */
const MAX_LENGTH = 2_048;

/** Anything but visible ASCII, and the list's own separator, is percent-encoded. */
const UNSAFE = /[^\x21-\x7e]|[,%]/gu;

function percentEncode(char: string): string {
  // Buffer turns a lone surrogate into U+FFFD where encodeURIComponent would throw.
  return [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * The `x-aigw-dropped` value for the fields provider-call could not carry (comma-separated paths), or
 * undefined when none were dropped. Field paths may echo client JSON keys, so they are encoded to stay a
 * valid header whatever they contain; a list too long for a header ends with `+N-more`.
 */
export function droppedFieldsHeader(fields: readonly string[]): string | undefined {
  if (fields.length === 0) return undefined;
  const encoded = fields.map((field) => field.replace(UNSAFE, percentEncode));
  const kept: string[] = [];
  let length = 0;
  for (const field of encoded) {
    const added = field.length + (kept.length > 0 ? 1 : 0);
    if (length + added > MAX_LENGTH) break;
    kept.push(field);
    length += added;
  }
  if (kept.length < encoded.length) kept.push(`+${encoded.length - kept.length}-more`);
  return kept.join(',');
}
