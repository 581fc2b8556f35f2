import { openAiFormat } from '@aigw/formats';
import { errorExcerpt } from '../../adapters/error-excerpt.js';
import type { DecodedUpstreamError } from '../../adapters/provider-adapter.js';
import type { IrError } from '../../ir/chat-ir.js';
import { asRecord, asString, parseJson } from '../../ir/json-shape.js';

/** The client's error body for a status and message (the shape and names live in @aigw/formats). */
export function openAiErrorBody(error: IrError): string {
  return JSON.stringify(openAiFormat.errorBody(error));
}

/** Reads an OpenAI(-compatible) error body; falls back to the raw text for non-JSON answers. */
export function decodeOpenAiError(status: number, text: string): DecodedUpstreamError {
  const root = asRecord(parseJson(text));
  const error = root?.error;
  const message = asString(asRecord(error)?.message) ?? asString(error) ?? asString(root?.message);
  return { status, message: message ?? errorExcerpt(status, text) };
}
