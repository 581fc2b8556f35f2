import { AppError } from '@aigw/errors';
import type { AnthropicOutputConfig as OutputConfig, AnthropicOutputFormat as OutputFormat } from '@aigw/formats';
import type { IrResponseFormat } from '../../ir/chat-ir.js';
import { isObjectNode, mapSchemaNodes, withoutDialect } from '../../ir/json-schema-nodes.js';
import type { JsonRecord } from '../../ir/json-shape.js';

// Anthropic structured output: `output_config.format` = {type: "json_schema", schema} (the older beta
// spelling is a top-level `output_format` of the same shape). Anthropic enforces a subset of JSON Schema:
// closed objects (`additionalProperties: false`), no numeric or string-length constraints, `minItems` of
// 0 or 1 only, a known list of string formats. Schemas from other clients are narrowed to it the way
// Anthropic's own SDKs do: objects are closed, and every keyword Anthropic would refuse is written into
// the node's description (the model still reads it) and reported, since Anthropic will not enforce it.


/** `output_config` keys the IR carries; others (effort, task_budget) are reported as `output_config.<key>`. */
const CONFIG_CARRIED = new Set(['format']);

/** `output_config.format` / `output_format` → IR; both at once is a request the client must fix. */
export function outputFormatToIr(config: OutputConfig | undefined, legacy: OutputFormat | undefined, dropped: Set<string>): IrResponseFormat | undefined {
  for (const key of Object.keys(config ?? {})) {
    if (!CONFIG_CARRIED.has(key) && config?.[key] !== null && config?.[key] !== undefined) dropped.add(`output_config.${key}`);
  }
  const format = config?.format ?? undefined;
  if (format !== undefined && legacy !== undefined) {
    throw new AppError('INVALID_REQUEST', 'output_format: give the schema in output_config.format or in output_format, not both', {
      details: { param: 'output_format' },
    });
  }
  const chosen = format ?? legacy;
  return chosen === undefined ? undefined : { type: 'json_schema', schema: chosen.schema };
}

/** Keywords Anthropic enforces (besides the per-type ones handled below). */
const KEPT = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', 'allOf', '$ref', '$defs', 'definitions', 'title',
  'description',
]);
const STRING_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid']);

/** Whether Anthropic takes `key: value` on a node, beyond KEPT. */
function keptToo(key: string, value: unknown): boolean {
  if (key === 'format') return typeof value === 'string' && STRING_FORMATS.has(value);
  if (key === 'minItems') return value === 0 || value === 1;
  return false;
}

/**
 * Bounds at JavaScript's safe-integer limits constrain nothing a client can parse (zod writes them on
 * every `.int()`), so they are left out rather than reported as constraints Anthropic cannot keep.
 */
function vacuousBound(key: string, value: unknown): boolean {
  if (typeof value !== 'number') return false;
  return (key === 'minimum' && value <= Number.MIN_SAFE_INTEGER) || (key === 'maximum' && value >= Number.MAX_SAFE_INTEGER);
}

/** One node narrowed to Anthropic's subset; what it cannot enforce goes into the description and `dropped`. */
function anthropicNode(node: JsonRecord, dropped: Set<string>): JsonRecord {
  const out: JsonRecord = {};
  const hints: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'oneOf') out.anyOf = value; // exactly-one of disjoint branches, which is what a model can keep to
    else if (key === 'additionalProperties' && value !== false) {
      if (isObjectNode(node)) {
        hints.push(`${key}: ${JSON.stringify(value)}`);
        dropped.add(`response_schema.${key}`);
      }
    } else if (KEPT.has(key) || keptToo(key, value)) out[key] = value;
    else if (vacuousBound(key, value)) continue;
    else {
      hints.push(`${key}: ${JSON.stringify(value)}`);
      dropped.add(`response_schema.${key}`);
    }
  }
  if (isObjectNode(node)) {
    // A free-form object (no properties listed) cannot stay open on Anthropic: it can only be empty there.
    if (node.properties === undefined && node.additionalProperties === undefined) dropped.add('response_schema.additionalProperties');
    out.additionalProperties = false;
  }
  if (hints.length > 0) {
    const description = typeof out.description === 'string' && out.description !== '' ? `${out.description}\n\n` : '';
    out.description = `${description}{${hints.join(', ')}}`;
  }
  return out;
}

/** The IR's schema as Anthropic takes it, with the client's name and description where the schema has none. */
export function anthropicOutputSchema(format: Extract<IrResponseFormat, { type: 'json_schema' }>, dropped: Set<string>): JsonRecord {
  const labelled: JsonRecord = { ...withoutDialect(format.schema) };
  if (format.name !== undefined && labelled.title === undefined) labelled.title = format.name;
  if (format.description !== undefined && labelled.description === undefined) labelled.description = format.description;
  return mapSchemaNodes(labelled, (node) => anthropicNode(node, dropped)) as JsonRecord;
}

/** IR → `output_config` for an Anthropic upstream; Anthropic has no "any JSON" mode, so json_object is reported. */
export function irToAnthropicOutputConfig(format: IrResponseFormat, dropped: Set<string>): JsonRecord | undefined {
  if (format.type === 'json_object') {
    dropped.add('response_format:json_object');
    return undefined;
  }
  return { format: { type: 'json_schema', schema: anthropicOutputSchema(format, dropped) } };
}
