// Gemini function declarations take an OpenAPI 3.0 subset, not JSON Schema: unknown keywords such as
// `additionalProperties` or `$schema` make the whole request fail. Client tool schemas are JSON Schema,
// so they are narrowed to the subset here.

const KEPT = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'required',
  'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'propertyOrdering',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON Schema → Gemini Schema: keeps the supported keywords, maps `type: [t, "null"]` and `const`. */
export function toGeminiSchema(schema: unknown): Record<string, unknown> {
  if (!isRecord(schema)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (KEPT.has(key)) out[key] = value;
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== 'null');
    out.type = types[0] ?? 'string';
    if (types.length < schema.type.length) out.nullable = true;
  }
  if (schema.const !== undefined && out.enum === undefined) out.enum = [schema.const];
  if (isRecord(schema.properties)) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, sub]) => [name, toGeminiSchema(sub)]));
  }
  if (schema.items !== undefined) out.items = toGeminiSchema(schema.items);
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (variants !== undefined) out.anyOf = variants.map(toGeminiSchema);
  if (typeof out.type === 'string') out.type = out.type.toUpperCase();
  return out;
}

/** False for an object schema without properties, which Gemini rejects as a function's parameters. */
export function hasParameters(schema: Record<string, unknown>): boolean {
  // A `type` that is no string (a client may write anything there) is no object type; String() of an
  // object with its own `toString` key would throw.
  const isObject = typeof schema.type === 'string' && schema.type.toUpperCase() === 'OBJECT';
  return !(isObject && (!isRecord(schema.properties) || Object.keys(schema.properties).length === 0));
}

const JSON_SCHEMA_KEPT = new Set([
  'format', 'title', 'description', 'enum', 'maxItems', 'minItems', 'required', 'minProperties', 'maxProperties',
  'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'default', 'example',
]);

/**
 * Gemini Schema → JSON Schema (what Anthropic and OpenAI take): lower-case types, `nullable` as a
 * `null` type. Takes `parametersJsonSchema` as it is, since that already is JSON Schema.
 */
export function fromGeminiSchema(schema: unknown): Record<string, unknown> {
  if (!isRecord(schema)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (JSON_SCHEMA_KEPT.has(key)) out[key] = value;
  }
  if (typeof schema.type === 'string' && schema.type.toUpperCase() !== 'TYPE_UNSPECIFIED') {
    const type = schema.type.toLowerCase();
    out.type = schema.nullable === true ? [type, 'null'] : type;
  }
  if (isRecord(schema.properties)) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, sub]) => [name, fromGeminiSchema(sub)]));
  }
  if (schema.items !== undefined) out.items = fromGeminiSchema(schema.items);
  if (Array.isArray(schema.anyOf)) {
    out.anyOf = schema.anyOf.map(fromGeminiSchema);
    // `nullable` beside `anyOf` (no `type` to widen) admits null as one more branch.
    if (schema.nullable === true && out.type === undefined) (out.anyOf as unknown[]).push({ type: 'null' });
  }
  return out;
}
