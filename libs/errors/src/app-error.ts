import { ERROR_CODES, type ErrorCode } from './codes.js';

export interface AppErrorOptions {
  cause?: unknown;
  /** Milliseconds after which a retry may succeed (sent as Retry-After). */
  retryAfterMs?: number;
  /** Extra, non-secret facts for logs and for the client (e.g. the param at fault). */
  details?: Record<string, string>;
}

/** The one error type of the gateway: a stable code, a message safe to show a client, and a cause. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly retryAfterMs: number | undefined;
  readonly details: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
    this.details = Object.freeze({ ...options.details });
  }

  /** HTTP status a client sees for this error. */
  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(error: unknown, fallback: ErrorCode = 'INTERNAL'): AppError {
  if (error instanceof AppError) return error;
  return new AppError(fallback, fallback === 'INTERNAL' ? 'internal error' : String((error as Error)?.message ?? error), {
    cause: error,
  });
}
