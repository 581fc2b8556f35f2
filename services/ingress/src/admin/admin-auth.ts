import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '@aigw/errors';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Requires `Authorization: Bearer <admin token>`, compared in constant time; an empty token locks the API. */
export function requireAdminToken(adminToken: string): RequestHandler {
  const expected = adminToken === '' ? undefined : digest(adminToken);
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    // Hashing both sides gives equal lengths, so timingSafeEqual never leaks the token's length.
    if (!expected || !match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      next(new AppError('UNAUTHENTICATED', expected ? 'invalid or missing admin token' : 'admin API disabled: AIGW_ADMIN_TOKEN is not set'));
      return;
    }
    next();
  };
}
