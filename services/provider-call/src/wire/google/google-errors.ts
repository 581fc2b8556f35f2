import { errorExcerpt } from '../../adapters/error-excerpt.js';
import type { DecodedUpstreamError } from '../../adapters/provider-adapter.js';
import type { IrError } from '../../ir/chat-ir.js';
import { asArray, asRecord, asString, parseJson } from '../../ir/json-shape.js';

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';

/** A protobuf Duration in JSON (`"2s"`, `"0.250s"`) → milliseconds. */
export function durationMs(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/**
 * Reads a Google API error (`{error:{code,message,status,details}}`, sometimes wrapped in an array),
 * including the RetryInfo delay that quota errors carry.
 */
export function decodeGoogleError(status: number, text: string): DecodedUpstreamError {
  const parsed = parseJson(text);
  const root = asRecord(Array.isArray(parsed) ? parsed[0] : parsed);
  const error = asRecord(root?.error);
  const message = asString(error?.message);
  const decoded: DecodedUpstreamError = { status, message: message ?? errorExcerpt(status, text) };
  for (const detail of asArray(error?.details) ?? []) {
    const d = asRecord(detail);
    if (d?.['@type'] !== RETRY_INFO) continue;
    const ms = durationMs(d.retryDelay);
    if (ms !== undefined) decoded.retryAfterMs = ms;
  }
  return decoded;
}

/** HTTP status → google.rpc status name, as Google APIs pair them. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The status name for any HTTP status (unknown 4xx → FAILED_PRECONDITION, else INTERNAL). */
export function googleStatusName(status: number): string {
  return STATUS_NAMES[status] ?? (status >= 400 && status < 500 ? 'FAILED_PRECONDITION' : 'INTERNAL');
}

/** `{error:{code,message,status}}` for a status and message (the shape of Gemini errors). */
export function googleErrorBody(error: IrError): string {
  const code = error.status >= 400 ? error.status : 500;
  return JSON.stringify({ error: { code, message: error.message, status: googleStatusName(code) } });
}
