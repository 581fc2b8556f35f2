import { AppError } from '@aigw/errors';
import type { IrResponseFormat } from '../../ir/chat-ir.js';
import { mapSchemaNodes, withoutDialect } from '../../ir/json-schema-nodes.js';
import { asRecord, type JsonRecord } from '../../ir/json-shape.js';
import { fromGeminiSchema } from './gemini-schema.js';

// Gemini structured output lives in generationConfig: `responseMimeType: "application/json"`, with
// either `responseJsonSchema` (JSON Schema, of which Gemini enforces a documented subset) or
// `responseSchema` (Gemini's OpenAPI-style Schema). Either schema needs the JSON MIME type, and only one
// of them may be set. Answers go out as `responseJsonSchema`, the faithful one of the two; Cloud Code
// takes the same generationConfig.

const JSON_MIME = 'application/json';

/** The generationConfig fields of structured output, as a Gemini client sends them (camelCase). */
export interface GeminiOutputConfig {
  responseMimeType?: string | undefined;
  responseSchema?: Record<string, unknown> | undefined;
  responseJsonSchema?: unknown;
}

function invalid(message: string, param: string): AppError {
  return new AppError('INVALID_REQUEST', message, { details: { param } });
}

/** generationConfig → IR response format; `dropped` gets what no other provider can take (enum answers, property order). */
export function geminiResponseFormatToIr(config: GeminiOutputConfig, dropped: Set<string>): IrResponseFormat | undefined {
  const { responseMimeType: mime, responseSchema, responseJsonSchema } = config;
  const jsonSchema = responseJsonSchema === undefined ? undefined : asRecord(responseJsonSchema);
  if (responseJsonSchema !== undefined && jsonSchema === undefined) {
    throw invalid('generationConfig.responseJsonSchema must be a JSON Schema object', 'generationConfig.responseJsonSchema');
  }
  if (responseSchema !== undefined && jsonSchema !== undefined) {
    throw invalid('generationConfig: set responseSchema or responseJsonSchema, not both', 'generationConfig.responseJsonSchema');
  }
  const schemaField = jsonSchema !== undefined ? 'responseJsonSchema' : 'responseSchema';
  if (mime === 'text/x.enum') {
    // An answer that is one bare enum value has no counterpart in the other formats.
    dropped.add('generationConfig.responseMimeType');
    if (responseSchema !== undefined || jsonSchema !== undefined) dropped.add(`generationConfig.${schemaField}`);
    return undefined;
  }
  if (mime !== JSON_MIME) {
    if (responseSchema !== undefined || jsonSchema !== undefined) {
      throw invalid(`generationConfig.${schemaField} needs generationConfig.responseMimeType "${JSON_MIME}"`, 'generationConfig.responseMimeType');
    }
    if (mime !== undefined && mime !== 'text/plain') dropped.add('generationConfig.responseMimeType');
    return undefined;
  }
  if (jsonSchema !== undefined) return { type: 'json_schema', schema: jsonSchema };
  if (responseSchema === undefined) return { type: 'json_object' };
  mapSchemaNodes(responseSchema, (node) => {
    // Key order of the answer: nothing in JSON Schema says it, and it does not change the parsed value.
    if (node.propertyOrdering !== undefined) dropped.add('generationConfig.responseSchema.propertyOrdering');
    return node;
  });
  return { type: 'json_schema', schema: fromGeminiSchema(responseSchema) };
}

/** JSON Schema keywords Gemini's responseJsonSchema enforces (from its API reference). */
const SUPPORTED = new Set([
  '$id', '$defs', 'definitions', '$ref', '$anchor', 'type', 'format', 'title', 'description', 'enum', 'items', 'prefixItems',
  'minItems', 'maxItems', 'minimum', 'maximum', 'anyOf', 'oneOf', 'properties', 'additionalProperties', 'required', 'propertyOrdering',
]);

function geminiNode(node: JsonRecord, dropped: Set<string>): JsonRecord {
  const out: JsonRecord = {};
  for (const [key, value] of Object.entries(node)) {
    if (SUPPORTED.has(key)) out[key] = value;
    else if (key === 'const' && node.enum === undefined) out.enum = [value];
    else dropped.add(`response_schema.${key}`);
  }
  return out;
}

/** The IR's schema as Gemini's responseJsonSchema, with the client's name and description where the schema has none. */
export function geminiResponseJsonSchema(format: Extract<IrResponseFormat, { type: 'json_schema' }>, dropped: Set<string>): JsonRecord {
  const labelled: JsonRecord = { ...withoutDialect(format.schema) };
  if (format.name !== undefined && labelled.title === undefined) labelled.title = format.name;
  if (format.description !== undefined && labelled.description === undefined) labelled.description = format.description;
  return mapSchemaNodes(labelled, (node) => geminiNode(node, dropped)) as JsonRecord;
}

/** IR → the generationConfig fields of structured output. */
export function irToGeminiOutputConfig(format: IrResponseFormat, dropped: Set<string>): JsonRecord {
  if (format.type === 'json_object') return { responseMimeType: JSON_MIME };
  return { responseMimeType: JSON_MIME, responseJsonSchema: geminiResponseJsonSchema(format, dropped) };
}
