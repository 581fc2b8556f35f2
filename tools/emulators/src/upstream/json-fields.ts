// Readers for untrusted request JSON. Google's JSON parser accepts both lowerCamelCase and snake_case
// field names (its own curl examples use `inline_data`, `system_instruction`), so Google formats read
// both spellings.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nonNegativeInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** `obj[camel]`, or `obj[snake]` when the camelCase field is absent. */
export function field(obj: JsonObject, camel: string, snake: string): unknown {
  const value = obj[camel];
  return value === undefined ? obj[snake] : value;
}

/** Whether a URL is one a provider would fetch or decode as an image: http(s) or a base64 data URL. */
export function isImageUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  if (url.startsWith('https://') || url.startsWith('http://')) return url.length > 8;
  return /^data:[\w.+-]+\/[\w.+-]+;base64,./.test(url);
}
