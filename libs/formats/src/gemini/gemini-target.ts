import { AppError } from '@aigw/errors';
import type { StreamFramingName } from '../sse/stream-framing.js';

/** What a Gemini request path names: `models/{model}:{method}`. */
export interface GeminiTarget {
  model: string;
  /** generateContent, streamGenerateContent, countTokens, … (empty when the path names none). */
  method: string;
}

const MODELS_PREFIX = 'models/';

/**
 * The model name a Gemini path or resource name designates. The official SDKs send `models/{model}` after
 * `/v1beta/`, which leaves `{model}` here; clients that prefix the name themselves send `models/models/x`
 * or `models%2Fx`, so one more `models/` is dropped.
 */
export function geminiModelName(name: string): string {
  return name.startsWith(MODELS_PREFIX) ? name.slice(MODELS_PREFIX.length) : name;
}

/** Splits `{model}:{method}` at the last colon (model names such as `llama3:8b` keep theirs). */
export function parseGeminiTarget(path: string): GeminiTarget {
  const colon = path.lastIndexOf(':');
  if (colon < 0) return { model: geminiModelName(path), method: '' };
  return { model: geminiModelName(path.slice(0, colon)), method: path.slice(colon + 1) };
}

/** The framing a streamGenerateContent client asked for with `alt`. */
export function geminiStreamFraming(alt: unknown): StreamFramingName {
  if (alt === undefined || alt === 'json') return 'json-array';
  if (alt === 'sse') return 'sse';
  throw new AppError('INVALID_REQUEST', '`alt` must be "sse" or "json" for streamGenerateContent', { details: { param: 'alt' } });
}
