import type { AppError, ErrorCode } from '@aigw/errors';

/** Upstream statuses worth another account: rate limits, server errors, timeouts, no answer at all (0). */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** Upstream statuses that say the account's credential is bad, not the client's request. */
export function isCredentialRejection(status: number): boolean {
  return status === 401 || status === 403;
}

/**
 * A call that reached one of the gateway's time limits (UPSTREAM_TIMEOUT: the whole-call limit, a stream's idle
 * limit) is not sent to another account: the generation was simply long, another account would take as long,
 * and both would bill for it.
 */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['UPSTREAM_ERROR', 'UPSTREAM_UNREACHABLE', 'UNAVAILABLE']);

/** gRPC failures of provider-call worth another account. */
export function isRetryableError(error: AppError): boolean {
  return RETRYABLE_CODES.has(error.code);
}

const BLAMING_CODES: ReadonlySet<ErrorCode> = new Set(['UPSTREAM_ERROR', 'UPSTREAM_UNREACHABLE']);

/**
 * Whether a failure says something about the account (and so goes to selector, which may cool it down): an
 * upstream that broke or could not be reached. provider-call being UNAVAILABLE, the gateway's own time limits,
 * a client's deadline or disconnect say nothing about the account and never cool it down.
 */
export function blamesAccount(error: AppError): boolean {
  return BLAMING_CODES.has(error.code);
}

/** Error class of an upstream status, for the request log. */
export function upstreamErrorClass(status: number): string {
  return status === 0 ? 'upstream_unreachable' : `upstream_${status}`;
}

/** Error class of an AppError, for the request log. */
export function appErrorClass(error: AppError): string {
  // A request the admission gate shed (see http/admission-gate.ts).
  if (error.details.shed !== undefined) return 'overloaded';
  return error.code.toLowerCase();
}
