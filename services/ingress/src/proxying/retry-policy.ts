import type { AppError, ErrorCode } from '@aigw/errors';

/** Upstream statuses worth another account: rate limits, server errors, timeouts, no answer at all (0). */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** Upstream statuses that say the account's credential is bad, not the client's request. */
export function isCredentialRejection(status: number): boolean {
  return status === 401 || status === 403;
}

const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['UPSTREAM_ERROR', 'UPSTREAM_UNREACHABLE', 'UPSTREAM_TIMEOUT', 'UNAVAILABLE']);

/** gRPC failures of provider-call worth another account. */
export function isRetryableError(error: AppError): boolean {
  return RETRYABLE_CODES.has(error.code);
}

/**
 * Whether a failure says something about the account (and so goes to selector as an outcome). provider-call
 * itself being UNAVAILABLE says nothing about the account, so it must not cool the account down.
 */
export function blamesAccount(error: AppError): boolean {
  return error.code !== 'UNAVAILABLE';
}

/** Error class of an upstream status, for the request log. */
export function upstreamErrorClass(status: number): string {
  return status === 0 ? 'upstream_unreachable' : `upstream_${status}`;
}

/** Error class of an AppError, for the request log. */
export function appErrorClass(error: AppError): string {
  return error.code.toLowerCase();
}
