import { anthropicFormat } from '@aigw/formats';
import { errorExcerpt } from '../../adapters/error-excerpt.js';
import type { DecodedUpstreamError } from '../../adapters/provider-adapter.js';
import type { IrError } from '../../ir/chat-ir.js';
import { asRecord, asString, parseJson } from '../../ir/json-shape.js';

/** Anthropic error `type` → the status it stands for (in-stream errors carry only the type). */
const TYPE_STATUS: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** The status an Anthropic error type stands for, if it is a known one. */
export function anthropicTypeStatus(type: string | undefined): number | undefined {
  return type === undefined ? undefined : TYPE_STATUS[type];
}

/** The client's error body for a status and message (the shape and names live in @aigw/formats). */
export function anthropicErrorBody(error: IrError): string {
  return JSON.stringify(anthropicFormat.errorBody(error));
}

/** Reads an Anthropic error body; falls back to the raw text for non-JSON answers. */
export function decodeAnthropicError(status: number, text: string): DecodedUpstreamError {
  const error = asRecord(asRecord(parseJson(text))?.error);
  return { status, message: asString(error?.message) ?? errorExcerpt(status, text) };
}
