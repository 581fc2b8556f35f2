import { AppError } from '@aigw/errors';

/** A positive integer id from the path; anything else is a 404 (no such record can exist). */
export function idParam(value: unknown): number {
  const id = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0 || id > 0x7fffffff) throw new AppError('NOT_FOUND', 'not found');
  return id;
}

/** Throws NOT_FOUND when a looked-up record is missing. */
export function found<T>(record: T | null | undefined, what: string): T {
  if (record === null || record === undefined) throw new AppError('NOT_FOUND', `${what} not found`);
  return record;
}
