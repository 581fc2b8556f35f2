/**
 * Tool-call arguments as an object, for formats that carry them as JSON objects (Anthropic input,
 * Gemini args). Text that is not a JSON object (a model's malformed output) is kept under `_raw`
 * rather than lost.
 */
export function toolArgumentsObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { _raw: text };
}
