import { AppError } from '@aigw/errors';
import type { ClientProtocol } from './client-protocol.js';

/** What ingress itself needs from a chat body; the rest travels to provider-call as raw bytes. */
export interface ChatRequestFacts {
  model: string;
  stream: boolean;
}

function invalid(message: string, param: string): AppError {
  return new AppError('INVALID_REQUEST', message, { details: { param } });
}

/** Checks the few fields every chat body must have, before any backend is called. */
export function validateChatBody(protocol: ClientProtocol, body: unknown): ChatRequestFacts {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('INVALID_REQUEST', 'request body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  if (typeof fields.model !== 'string' || fields.model.trim() === '') {
    throw invalid('`model` is required and must be a non-empty string', 'model');
  }
  if (fields.model.length > 128) throw invalid('`model` is too long (at most 128 characters)', 'model');
  if (!Array.isArray(fields.messages)) throw invalid('`messages` is required and must be an array', 'messages');
  if (protocol === 'anthropic') {
    const maxTokens = fields.max_tokens;
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens <= 0) {
      throw invalid('`max_tokens` is required and must be a positive integer', 'max_tokens');
    }
  }
  if (fields.stream !== undefined && fields.stream !== null && typeof fields.stream !== 'boolean') {
    throw invalid('`stream` must be a boolean', 'stream');
  }
  return { model: fields.model, stream: fields.stream === true };
}
