import { asRecord, type JsonRecord } from './json-shape.js';

// A JSON Schema is a tree of schema nodes; each provider's structured output takes its own subset of
// the keywords. These walkers visit every node (whatever keyword holds it) so a provider's mapping only
// says what it does with one node.

/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'];
/** Keywords whose value is a list of subschemas. */
const LIST_KEYWORDS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
/** Keywords whose value maps names to subschemas. */
const MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/** Deepest schema nesting walked; deeper nodes (a hostile schema) are cut to `{}`. */
const MAX_DEPTH = 64;

/**
 * Rebuilds a schema bottom-up: every subschema is rewritten first, then `node` rewrites the node that
 * holds them. `node` gets a copy it may change. A non-object schema (`true`) is kept as it is.
 */
export function mapSchemaNodes(schema: unknown, node: (schema: JsonRecord) => JsonRecord, depth = 0): unknown {
  const record = asRecord(schema);
  if (record === undefined) return schema;
  if (depth >= MAX_DEPTH) return {};
  const copy: JsonRecord = { ...record };
  for (const key of SCHEMA_KEYWORDS) {
    if (asRecord(copy[key]) !== undefined) copy[key] = mapSchemaNodes(copy[key], node, depth + 1);
    else if (key === 'items' && Array.isArray(copy[key])) copy[key] = (copy[key] as unknown[]).map((s) => mapSchemaNodes(s, node, depth + 1));
  }
  for (const key of LIST_KEYWORDS) {
    if (Array.isArray(copy[key])) copy[key] = (copy[key] as unknown[]).map((s) => mapSchemaNodes(s, node, depth + 1));
  }
  for (const key of MAP_KEYWORDS) {
    const map = asRecord(copy[key]);
    if (map !== undefined) copy[key] = Object.fromEntries(Object.entries(map).map(([name, s]) => [name, mapSchemaNodes(s, node, depth + 1)]));
  }
  return node(copy);
}

/** Whether `test` holds for every schema node of `schema`. */
export function everySchemaNode(schema: unknown, test: (schema: JsonRecord) => boolean): boolean {
  let ok = true;
  mapSchemaNodes(schema, (node) => {
    if (ok && !test(node)) ok = false;
    return node;
  });
  return ok;
}

/** Whether a schema node describes objects (`type: "object"`, or a type list that has it). */
export function isObjectNode(schema: JsonRecord): boolean {
  const type = schema.type;
  return type === 'object' || (Array.isArray(type) && type.includes('object'));
}

/** The schema without its `$schema` dialect tag, which constrains nothing and several providers refuse. */
export function withoutDialect(schema: JsonRecord): JsonRecord {
  if (!('$schema' in schema)) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
