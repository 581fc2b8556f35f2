import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '@aigw/errors';
import type { ApiKeyCache, ApiKeyRecord } from './api-key-cache.js';
import { clientKeyFrom, hashClientKey } from './client-key.js';

/** Resolves the request's client key to its record; unknown, revoked or missing keys are UNAUTHENTICATED. */
export async function authenticateClient(keys: ApiKeyCache, headers: IncomingHttpHeaders): Promise<ApiKeyRecord> {
  const key = clientKeyFrom(headers);
  if (key === undefined) {
    throw new AppError('UNAUTHENTICATED', 'missing API key: send "Authorization: Bearer <key>" or "x-api-key: <key>"');
  }
  const record = await keys.lookup(hashClientKey(key));
  if (record === null) throw new AppError('UNAUTHENTICATED', 'invalid API key');
  if (record.revoked) throw new AppError('UNAUTHENTICATED', 'API key has been revoked');
  return record;
}
