import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A non-blank string, trimmed. */
function present(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The client key from `x-api-key`, `x-goog-api-key` or `Authorization: Bearer <key>` (any of them on any
 * route), else from `queryKey` (Gemini's `?key=`, which only the Gemini routes pass).
 */
export function clientKeyFrom(headers: IncomingHttpHeaders, queryKey?: unknown): string | undefined {
  const headerKey = present(headers['x-api-key']) ?? present(headers['x-goog-api-key']);
  if (headerKey !== undefined) return headerKey;
  const authorization = headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  return bearer ?? present(queryKey);
}

/** How keys are stored: lowercase SHA-256 hex. */
export function hashClientKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
