import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '@aigw/errors';
import type { ApiKeyCache, ApiKeyRecord } from './api-key-cache.js';
import { clientKeyFrom, hashClientKey } from './client-key.js';

/** Where a request may carry its key. */
export interface KeySources {
  headers: IncomingHttpHeaders;
  /** Given on the Gemini routes only, where `?key=<key>` is how Google's API takes keys. */
  query?: { key?: unknown };
}

/** Resolves the request's client key to its record; unknown, revoked, expired or missing keys are UNAUTHENTICATED. */
export async function authenticateClient(keys: ApiKeyCache, { headers, query }: KeySources, now = Date.now()): Promise<ApiKeyRecord> {
  const key = clientKeyFrom(headers, query?.key);
  if (key === undefined) {
    const ways = '"Authorization: Bearer <key>", "x-api-key: <key>" or "x-goog-api-key: <key>"';
    throw new AppError('UNAUTHENTICATED', `missing API key: send ${ways}${query ? ', or ?key=<key>' : ''}`);
  }
  const record = await keys.lookup(hashClientKey(key));
  if (record === null) throw new AppError('UNAUTHENTICATED', 'invalid API key');
  if (record.revoked) throw new AppError('UNAUTHENTICATED', 'API key has been revoked');
  if (record.expiresAtMs !== null && record.expiresAtMs !== undefined && now >= record.expiresAtMs) {
    throw new AppError('UNAUTHENTICATED', `API key expired at ${new Date(record.expiresAtMs).toISOString()}`);
  }
  return record;
}
