import { geminiFormat } from '@aigw/formats';
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

/** The client's error body for a status and message (the shape and names live in @aigw/formats). */
export function googleErrorBody(error: IrError): string {
  return JSON.stringify(geminiFormat.errorBody(error));
}
