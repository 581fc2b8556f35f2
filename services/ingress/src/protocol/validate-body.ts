import { AppError } from '@aigw/errors';
import type { ClientProtocol } from './client-protocol.js';

/** What ingress itself needs from a chat body; the rest travels to provider-call as raw bytes. */
export interface ChatRequestFacts {
  model: string;
  stream: boolean;
}

const MAX_MODEL_LENGTH = 128;

function invalid(message: string, param: string): AppError {
  return new AppError('INVALID_REQUEST', message, { details: { param } });
}

/** The body's fields, when it is a JSON object. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('INVALID_REQUEST', 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** A model name as a client may send it: non-empty, at most 128 characters. */
export function checkModelName(model: unknown, param = 'model'): string {
  if (typeof model !== 'string' || model.trim() === '') {
    throw invalid(`\`${param}\` is required and must be a non-empty string`, param);
  }
  if (model.length > MAX_MODEL_LENGTH) throw invalid(`\`${param}\` is too long (at most ${MAX_MODEL_LENGTH} characters)`, param);
  return model;
}

/** The model and messages every OpenAI/Anthropic body must have. */
function modelAndMessages(body: unknown): { fields: Record<string, unknown>; model: string } {
  const fields = objectBody(body);
  const model = checkModelName(fields.model);
  if (!Array.isArray(fields.messages)) throw invalid('`messages` is required and must be an array', 'messages');
  return { fields, model };
}

/** Checks the few fields every chat body must have, before any backend is called. */
export function validateChatBody(protocol: Exclude<ClientProtocol, 'gemini'>, body: unknown): ChatRequestFacts {
  const { fields, model } = modelAndMessages(body);
  if (protocol === 'anthropic') {
    const maxTokens = fields.max_tokens;
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens <= 0) {
      throw invalid('`max_tokens` is required and must be a positive integer', 'max_tokens');
    }
  }
  if (fields.stream !== undefined && fields.stream !== null && typeof fields.stream !== 'boolean') {
    throw invalid('`stream` must be a boolean', 'stream');
  }
  return { model, stream: fields.stream === true };
}

/** An Anthropic count_tokens body: a Messages body without max_tokens. */
export function validateCountTokensBody(body: unknown): { model: string } {
  return { model: modelAndMessages(body).model };
}
