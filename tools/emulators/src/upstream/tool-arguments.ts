// Deterministic tool-call arguments built from a tool's JSON Schema, so a test can predict the exact call
// the emulator makes: strings `<property>-value`, numbers 42, booleans true, enums and consts their first
// value, objects their required properties (all properties when `required` is absent), arrays one item.
// Gemini writes types in upper case ("STRING"); both spellings are read.

const MAX_DEPTH = 8;

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema's type, lower-cased; the first non-null one of a type list; inferred when absent. */
function schemaType(schema: Schema): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t.toLowerCase();
  if (Array.isArray(t)) {
    const first = t.find((x) => typeof x === 'string' && x.toLowerCase() !== 'null') ?? t[0];
    return typeof first === 'string' ? first.toLowerCase() : undefined;
  }
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function objectValue(schema: Schema, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const names = Array.isArray(schema.required)
    ? schema.required.filter((n): n is string => typeof n === 'string')
    : Object.keys(properties);
  for (const name of names) out[name] = valueFor(properties[name], name, depth + 1);
  return out;
}

/** A deterministic value satisfying the schema of the property `name`. */
export function valueFor(schema: unknown, name: string, depth = 0): unknown {
  if (!isSchema(schema)) return `${name}-value`;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      const branch = branches.find((b) => !(isSchema(b) && b.type === 'null')) ?? branches[0];
      if (branch !== undefined) return valueFor(branch, name, depth);
    }
  }
  switch (schemaType(schema)) {
    case 'integer':
    case 'number':
      return 42;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'object':
      return depth >= MAX_DEPTH ? {} : objectValue(schema, depth);
    case 'array':
      return depth >= MAX_DEPTH || schema.items === undefined ? [] : [valueFor(schema.items, name, depth + 1)];
    default:
      return `${name}-value`;
  }
}

/** `text` read as the property's schema type asks: a number, a boolean, else the text itself. */
function typedValue(schema: unknown, text: string): unknown {
  const type = isSchema(schema) ? schemaType(schema) : undefined;
  if ((type === 'number' || type === 'integer') && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/**
 * Arguments object for a tool whose parameters schema is `schema` ({} when it has none). `given` are
 * top-level arguments the conversation asked for (directive `arg.<name>=<value>`, as text): they replace
 * the derived value, or are added when the schema has such a property but does not require it.
 */
export function argumentsFromSchema(schema: unknown, given?: Readonly<Record<string, string>>): Record<string, unknown> {
  if (!isSchema(schema)) return {};
  const args = objectValue(schema, 0);
  if (given === undefined) return args;
  const properties = isSchema(schema.properties) ? schema.properties : {};
  for (const [name, text] of Object.entries(given)) args[name] = typedValue(properties[name], text);
  return args;
}
