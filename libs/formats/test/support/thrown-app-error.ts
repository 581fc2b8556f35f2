import type { AppError } from '@aigw/errors';

/** The AppError `fn` throws; fails the test when it throws nothing. */
export function thrownAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a failure');
}
