// The Gemini REST API reads protobuf JSON, which takes field names in camelCase or snake_case (its
// own examples use `system_instruction`, `inline_data`, `function_declarations`). Client bodies are
// brought to camelCase before they are read. Keys that are user data stay as sent: function
// arguments and results, JSON Schemas, labels, and the property names of a Gemini schema.

/** Subtrees kept verbatim: user data, or JSON Schema (whose keywords are not proto fields). */
const VERBATIM = new Set(['args', 'response', 'parametersJsonSchema', 'responseJsonSchema', 'labels']);
/** Objects whose keys are user names (their values are still schemas). */
const NAMED = new Set(['properties']);

/** `snake_case` → `snakeCase`; other keys unchanged. */
export function camelKey(key: string): string {
  return key.includes('_') ? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : key;
}

/** Returns `value` with proto field names in camelCase (depth must be bounded by the caller). */
export function camelizeGeminiKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeGeminiKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const name = camelKey(key);
    if (VERBATIM.has(name)) out[name] = child;
    else if (NAMED.has(name) && typeof child === 'object' && child !== null && !Array.isArray(child)) {
      out[name] = Object.fromEntries(Object.entries(child).map(([k, v]) => [k, camelizeGeminiKeys(v)]));
    } else out[name] = camelizeGeminiKeys(child);
  }
  return out;
}
