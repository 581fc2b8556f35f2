import type { OpenAiResponseFormat as ClientResponseFormat } from '@aigw/formats';
import type { IrRequest, IrResponseFormat } from '../../ir/chat-ir.js';
import { everySchemaNode, isObjectNode, mapSchemaNodes, withoutDialect } from '../../ir/json-schema-nodes.js';
import { asRecord, type JsonRecord } from '../../ir/json-shape.js';

// Chat Completions `response_format` ↔ the IR's response format: {type: "text"} (no format),
// {type: "json_object"} (any JSON object), {type: "json_schema", json_schema: {name, description,
// schema, strict}}. `strict: true` makes OpenAI enforce the schema, but only on a subset: every object
// closed and all its properties required, and a set of keywords; a strict request with another schema
// fails. Schemas from Anthropic and Gemini clients (which those providers enforce) are sent strict when
// they fit that subset, and as a best-effort schema otherwise.

/** Client `response_format` → IR (undefined for plain text); a json_schema without a schema is any JSON object. */
export function responseFormatToIr(format: ClientResponseFormat, dropped: Set<string>): IrResponseFormat | undefined {
  if (format.type === 'unsupported') {
    dropped.add(`response_format:${format.name}`);
    return undefined;
  }
  if (format.type === 'text') return undefined;
  if (format.type === 'json_object' || format.json_schema.schema === undefined) return { type: 'json_object' };
  const { name, description, schema, strict } = format.json_schema;
  return {
    type: 'json_schema',
    schema,
    name,
    ...(description === undefined ? {} : { description }),
    ...(strict === null || strict === undefined ? {} : { strict }),
  };
}

/** Keywords OpenAI's strict mode accepts; a schema with any other one is sent non-strict. */
const STRICT_KEYWORDS = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', '$ref', '$defs', 'definitions',
  'description', 'title', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minItems', 'maxItems',
]);

/**
 * Objects that list their properties and say nothing about others are closed: a model that keeps to the
 * schema adds none anyway. A free-form object (no properties) stays open, which keeps it out of strict mode.
 */
function closeObjects(schema: JsonRecord): JsonRecord {
  const close = (node: JsonRecord) =>
    isObjectNode(node) && node.properties !== undefined && node.additionalProperties === undefined ? { ...node, additionalProperties: false } : node;
  return mapSchemaNodes(schema, close) as JsonRecord;
}

/** Whether OpenAI's strict mode takes `schema`: an object root, closed objects with every property required, known keywords. */
export function fitsStrictMode(schema: JsonRecord): boolean {
  if (schema.type !== 'object') return false;
  return everySchemaNode(schema, (node) => {
    if (!Object.keys(node).every((key) => STRICT_KEYWORDS.has(key))) return false;
    if (!isObjectNode(node)) return true;
    const properties = Object.keys(asRecord(node.properties) ?? {});
    const required = Array.isArray(node.required) ? node.required : [];
    return node.additionalProperties === false && properties.every((p) => required.includes(p));
  });
}

/** A json_schema name OpenAI accepts, from the client's name or the schema's title. */
export function schemaName(format: Extract<IrResponseFormat, { type: 'json_schema' }>): string {
  const wanted = format.name ?? (typeof format.schema.title === 'string' ? format.schema.title : '');
  const safe = wanted.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return safe === '' ? 'response' : safe;
}

/** IR → `response_format` for an OpenAI-compatible upstream. */
export function irToOpenAiResponseFormat(format: IrResponseFormat): JsonRecord {
  if (format.type === 'json_object') return { type: 'json_object' };
  const schema = withoutDialect(format.schema);
  const closed = closeObjects(schema);
  const strict = format.strict ?? fitsStrictMode(closed);
  const jsonSchema: JsonRecord = { name: schemaName(format), schema: strict ? closed : schema };
  if (format.description !== undefined) jsonSchema.description = format.description;
  if (strict) jsonSchema.strict = true;
  return { type: 'json_schema', json_schema: jsonSchema };
}

/** What JSON mode asks of the conversation when it does not say "JSON" itself (OpenAI refuses json_object then). */
export const JSON_MODE_NOTE = 'Respond with a JSON object.';

/**
 * Whether the conversation says "JSON" anywhere, as OpenAI requires for json_object. Gemini's JSON mode
 * has no such rule, so a Gemini client's request may need JSON_MODE_NOTE to be accepted.
 */
export function mentionsJson(ir: IrRequest): boolean {
  const says = (text: string | undefined) => text !== undefined && /json/i.test(text);
  if (says(ir.system)) return true;
  return ir.messages.some((m) => m.parts.some((p) => (p.type === 'text' && says(p.text)) || (p.type === 'tool_result' && says(p.content))));
}
