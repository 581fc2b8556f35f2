import { generateSync, type JsonSchema } from 'json-schema-faker';

// Structured output, answered as a real model with constrained decoding would: the answer text is a JSON
// document valid against the requested schema (OpenAI response_format json_schema, Anthropic
// output_config.format / output_format, Gemini responseJsonSchema / responseSchema), or any JSON object
// when no schema is given (OpenAI json_object, Gemini JSON mode). Instances come from json-schema-faker
// with a fixed seed and fixed date range, so the same schema always gets the same answer and a test can
// compute it with structuredAnswerText.

/** What the request asked the answer to be. Schemas are JSON Schema (Gemini's OpenAPI style is converted first). */
export type ResponseFormat = { type: 'json_object' } | { type: 'json_schema'; schema: Record<string, unknown> };

/** A schema the emulator cannot produce an instance of (as a provider refuses a schema it cannot compile). */
export class InvalidSchemaError extends Error {
  override readonly name = 'InvalidSchemaError';
}

const OPTIONS = {
  seed: 42,
  // Optional properties are answered too: a model that keeps to the schema may fill them, and a fixed
  // choice keeps the answer predictable.
  alwaysFakeOptionals: true,
  fillProperties: false,
  maxDefaultItems: 2,
  minDateTime: '2024-01-01T00:00:00Z',
  maxDateTime: '2026-12-31T23:59:59Z',
} as const;

/** An instance of `schema` (deterministic). Throws InvalidSchemaError for a schema that cannot be satisfied or resolved. */
export function schemaInstance(schema: Record<string, unknown>): unknown {
  try {
    return generateSync(schema as JsonSchema, OPTIONS);
  } catch (error) {
    throw new InvalidSchemaError(`Invalid JSON schema for the response format: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The answer text for a response format; `text` is what the emulator would have said in prose (JSON mode wraps it). */
export function structuredAnswerText(format: ResponseFormat, text: string): string {
  if (format.type === 'json_object') return JSON.stringify({ answer: text });
  return JSON.stringify(schemaInstance(format.schema));
}
