import { field, isObject, type JsonObject } from './json-fields.js';
import type { ResponseFormat } from './structured-answer.js';
import type { ParseFailure } from './wire-format.js';

// How each wire format asks for structured output, read and checked the way its provider does: a
// request the provider would refuse gets its 400 here too, so a gateway that translates a schema badly
// is caught by the emulator as it would be by the real API.

type Result = ResponseFormat | ParseFailure | undefined;

const isFailure = (value: unknown): value is ParseFailure => isObject(value) && typeof value.error === 'string';

/** Calls `visit` on every object-valued schema node reachable through the usual subschema keywords. */
function walk(schema: unknown, visit: (node: JsonObject) => string | undefined, depth = 0): string | undefined {
  if (!isObject(schema) || depth > 64) return undefined;
  const problem = visit(schema);
  if (problem !== undefined) return problem;
  const children: unknown[] = [];
  for (const key of ['items', 'not', 'additionalProperties']) children.push(schema[key]);
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) if (Array.isArray(schema[key])) children.push(...(schema[key] as unknown[]));
  for (const key of ['properties', '$defs', 'definitions']) if (isObject(schema[key])) children.push(...Object.values(schema[key] as JsonObject));
  for (const child of children) {
    const found = walk(child, visit, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

const isObjectType = (node: JsonObject) => node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));

/** OpenAI strict mode: every object closed, every property required. */
function strictProblem(node: JsonObject): string | undefined {
  if (!isObjectType(node)) return undefined;
  if (node.additionalProperties !== false) return "'additionalProperties' is required to be supplied and to be false.";
  const required = Array.isArray(node.required) ? node.required : [];
  const missing = Object.keys(isObject(node.properties) ? node.properties : {}).filter((p) => !required.includes(p));
  if (missing.length === 0) return undefined;
  return `'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
}

/** Why OpenAI's strict mode refuses `schema` (an object root, closed objects, every property required); undefined when it takes it. */
export function strictSchemaProblem(schema: JsonObject): string | undefined {
  if (schema.type !== 'object') return `schema must be a JSON Schema of 'type: "object"', got 'type: "${String(schema.type)}"'.`;
  const problem = walk(schema, strictProblem);
  return problem === undefined ? undefined : `In context=(), ${problem}`;
}

/** Responses `text.format`: the json_schema's name, schema and strict sit beside its type (flat). */
export function parseResponsesTextFormat(text: unknown): Result {
  if (text === undefined || text === null) return undefined;
  if (!isObject(text)) return { error: "Invalid type for 'text': expected an object." };
  const value = text.format;
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return { error: "Invalid type for 'text.format': expected an object." };
  if (value.type === 'text') return undefined;
  if (value.type === 'json_object') return { type: 'json_object' };
  if (value.type !== 'json_schema') {
    return { error: `Invalid value: '${String(value.type)}'. Supported values are: 'text', 'json_object', and 'json_schema'.`, param: 'text.format.type' };
  }
  if (typeof value.name !== 'string') return { error: "Missing required parameter: 'text.format.name'.", param: 'text.format.name' };
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(value.name)) {
    return { error: "Invalid 'text.format.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", param: 'text.format.name' };
  }
  if (!isObject(value.schema)) return { error: "Missing required parameter: 'text.format.schema'.", param: 'text.format.schema' };
  if (value.strict === true) {
    const problem = strictSchemaProblem(value.schema);
    if (problem !== undefined) return { error: `Invalid schema for response_format '${value.name}': ${problem}`, param: 'text.format.schema' };
  }
  return { type: 'json_schema', schema: value.schema };
}

/** Chat Completions `response_format`. */
export function parseOpenAiResponseFormat(value: unknown): Result {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return { error: "Invalid type for 'response_format': expected an object." };
  if (value.type === 'text') return undefined;
  if (value.type === 'json_object') return { type: 'json_object' };
  if (value.type !== 'json_schema') {
    return { error: `Invalid value: '${String(value.type)}'. Supported values are: 'json_object', 'json_schema', and 'text'.` };
  }
  const spec = value.json_schema;
  if (!isObject(spec)) return { error: "Missing required parameter: 'response_format.json_schema'." };
  if (typeof spec.name !== 'string') return { error: "Missing required parameter: 'response_format.json_schema.name'." };
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
    return { error: "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'." };
  }
  if (spec.schema === undefined) return { type: 'json_object' };
  if (!isObject(spec.schema)) return { error: "Invalid type for 'response_format.json_schema.schema': expected an object." };
  if (spec.strict === true) {
    if (spec.schema.type !== 'object') return { error: `Invalid schema for response_format '${spec.name}': schema must be a JSON Schema of 'type: "object"'.` };
    const problem = walk(spec.schema, strictProblem);
    if (problem !== undefined) return { error: `Invalid schema for response_format '${spec.name}': In context=(), ${problem}` };
  }
  return { type: 'json_schema', schema: spec.schema };
}

/** Keywords Anthropic's structured outputs refuse (numeric and length constraints). */
const ANTHROPIC_REFUSED = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength'];

function anthropicProblem(node: JsonObject): string | undefined {
  if (isObjectType(node) && node.additionalProperties !== false) return "For 'object' type, 'additionalProperties' must be explicitly set to false";
  const refused = ANTHROPIC_REFUSED.find((key) => node[key] !== undefined);
  return refused === undefined ? undefined : `'${refused}' is not supported`;
}

/** Messages API `output_config.format`, or the older top-level `output_format`. */
export function parseAnthropicOutputFormat(body: JsonObject): Result {
  const config = body.output_config;
  if (config !== undefined && !isObject(config)) return { error: 'output_config: Input should be a valid dictionary' };
  const current = config?.format ?? undefined;
  if (current !== undefined && body.output_format !== undefined) return { error: 'output_format: cannot be used together with output_config.format' };
  const where = current !== undefined ? 'output_config.format' : 'output_format';
  const format = current ?? body.output_format;
  if (format === undefined) return undefined;
  if (!isObject(format) || format.type !== 'json_schema') return { error: `${where}.type: Input should be 'json_schema'` };
  if (!isObject(format.schema)) return { error: `${where}.schema: Field required` };
  const problem = walk(format.schema, anthropicProblem);
  return problem === undefined ? { type: 'json_schema', schema: format.schema } : { error: `${where}.schema: ${problem}` };
}

/** Fields of Gemini's `Schema` message; any other key in a responseSchema is an unknown proto field. */
const GEMINI_SCHEMA_FIELDS = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required', 'minProperties',
  'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering', 'default', 'items', 'minimum', 'maximum',
]);
const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Gemini's OpenAPI-style Schema → JSON Schema (lower-case types, `nullable` as a null type), or the unknown field. */
export function geminiSchemaToJsonSchema(schema: JsonObject, at: string, depth = 0): JsonObject | ParseFailure {
  const out: JsonObject = {};
  if (depth > 64) return out;
  for (const [key, value] of Object.entries(schema)) {
    const name = camel(key);
    if (!GEMINI_SCHEMA_FIELDS.has(name)) return { error: `Invalid JSON payload received. Unknown name "${key}" at '${at}': Cannot find field.` };
    if (name === 'properties' && isObject(value)) {
      const properties: JsonObject = {};
      for (const [prop, sub] of Object.entries(value)) {
        const converted = isObject(sub) ? geminiSchemaToJsonSchema(sub, `${at}.properties[${prop}].value`, depth + 1) : {};
        if (isFailure(converted)) return converted;
        properties[prop] = converted;
      }
      out.properties = properties;
    } else if ((name === 'items' && isObject(value)) || (name === 'anyOf' && Array.isArray(value))) {
      const list = name === 'items' ? [value] : (value as unknown[]);
      const converted = list.map((sub, i) => (isObject(sub) ? geminiSchemaToJsonSchema(sub, `${at}.${key}[${i}]`, depth + 1) : {}));
      const failure = converted.find(isFailure);
      if (failure !== undefined) return failure;
      out[name] = name === 'items' ? converted[0] : converted;
    } else if (name === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (name !== 'nullable' && name !== 'propertyOrdering' && name !== 'example') out[name] = value;
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...(out.anyOf as unknown[]), { type: 'null' }];
  }
  return out;
}

/** generationConfig's responseMimeType with responseJsonSchema or responseSchema (Gemini and Cloud Code). */
export function parseGoogleResponseFormat(generation: JsonObject, prefix: string): Result {
  const mime = field(generation, 'responseMimeType', 'response_mime_type');
  const openApi = field(generation, 'responseSchema', 'response_schema');
  const jsonSchema = field(generation, 'responseJsonSchema', 'response_json_schema');
  const where = `${prefix}generation_config`;
  if (openApi !== undefined && jsonSchema !== undefined) {
    return { error: `Invalid value at '${where}': response_schema and response_json_schema cannot both be set.` };
  }
  if (mime !== 'application/json') {
    if (openApi !== undefined || jsonSchema !== undefined) {
      if (mime === 'text/x.enum' && openApi !== undefined) return undefined; // a bare enum value: plain text here
      return { error: `Invalid value at '${where}.response_mime_type': a response schema requires 'application/json'.` };
    }
    return undefined;
  }
  if (jsonSchema !== undefined) {
    if (isObject(jsonSchema)) return { type: 'json_schema', schema: jsonSchema };
    return { error: `Invalid value at '${where}.response_json_schema': expected an object.` };
  }
  if (openApi === undefined) return { type: 'json_object' };
  if (!isObject(openApi)) return { error: `Invalid value at '${where}.response_schema': expected an object.` };
  const schema = geminiSchemaToJsonSchema(openApi, `${where}.response_schema`);
  return isFailure(schema) ? schema : { type: 'json_schema', schema };
}
