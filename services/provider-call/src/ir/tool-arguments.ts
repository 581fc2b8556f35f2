import { AppError } from '@aigw/errors';
import { MAX_JSON_DEPTH, jsonDepthWithin } from '@aigw/formats';

/**
 * Tool-call arguments as an object, for formats that carry them as JSON objects (Anthropic input,
 * Gemini args). Text that is not a JSON object (a model's malformed output) is kept under `_raw`
 * rather than lost. Arguments nested deeper than any request may be are refused (they arrive as a
 * string, so the body's own depth check did not see them).
 */
export function toolArgumentsObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { _raw: text };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { _raw: text };
  if (!jsonDepthWithin(value, MAX_JSON_DEPTH)) throw new AppError('INVALID_REQUEST', `tool arguments are nested deeper than ${MAX_JSON_DEPTH} levels`);
  return value as Record<string, unknown>;
}
