import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The client key from `Authorization: Bearer <key>` or `x-api-key: <key>` (either header on either route). */
export function clientKeyFrom(headers: IncomingHttpHeaders): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim();
  const authorization = headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}

/** How keys are stored: lowercase SHA-256 hex. */
export function hashClientKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
