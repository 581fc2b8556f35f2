import { status as Status, Metadata, type ServiceError } from '@grpc/grpc-js';
import { AppError, isErrorCode, type ErrorCode } from '@aigw/errors';

/** The one table from AppError codes to gRPC status codes. */
const TO_GRPC: Record<ErrorCode, Status> = {
  INVALID_REQUEST: Status.INVALID_ARGUMENT,
  UNAUTHENTICATED: Status.UNAUTHENTICATED,
  PERMISSION_DENIED: Status.PERMISSION_DENIED,
  NOT_FOUND: Status.NOT_FOUND,
  MODEL_NOT_FOUND: Status.NOT_FOUND,
  NO_ACCOUNT: Status.NOT_FOUND,
  CONFLICT: Status.ALREADY_EXISTS,
  PAYLOAD_TOO_LARGE: Status.INVALID_ARGUMENT,
  RATE_LIMITED: Status.RESOURCE_EXHAUSTED,
  BUDGET_EXCEEDED: Status.RESOURCE_EXHAUSTED,
  ACCOUNTS_EXHAUSTED: Status.RESOURCE_EXHAUSTED,
  CANCELLED: Status.CANCELLED,
  INTERNAL: Status.INTERNAL,
  UPSTREAM_ERROR: Status.UNAVAILABLE,
  UPSTREAM_UNREACHABLE: Status.UNAVAILABLE,
  UNAVAILABLE: Status.UNAVAILABLE,
  UPSTREAM_TIMEOUT: Status.DEADLINE_EXCEEDED,
  DEADLINE_EXCEEDED: Status.DEADLINE_EXCEEDED,
};

/** Codes for gRPC statuses that arrive without our metadata (transport failures, deadlines). */
const FROM_GRPC: Partial<Record<Status, ErrorCode>> = {
  [Status.DEADLINE_EXCEEDED]: 'DEADLINE_EXCEEDED',
  [Status.CANCELLED]: 'CANCELLED',
  [Status.UNAVAILABLE]: 'UNAVAILABLE',
  [Status.INVALID_ARGUMENT]: 'INVALID_REQUEST',
  [Status.NOT_FOUND]: 'NOT_FOUND',
  [Status.UNAUTHENTICATED]: 'UNAUTHENTICATED',
  [Status.RESOURCE_EXHAUSTED]: 'RATE_LIMITED',
};

const CODE_KEY = 'aigw-error-code';
// A negative server pushback tells grpc-js not to retry: our handlers already decided (an upstream failure is
// for the caller to fail over on another account), so only transport-level UNAVAILABLE is retried.
const PUSHBACK_KEY = 'grpc-retry-pushback-ms';
const RETRY_KEY = 'aigw-retry-after-ms';

/** Turns an AppError into the status object grpc-js sends, carrying code and retry hint in trailers. */
export function toServiceError(error: AppError): Partial<ServiceError> {
  const metadata = new Metadata();
  metadata.set(CODE_KEY, error.code);
  metadata.set(PUSHBACK_KEY, '-1');
  if (error.retryAfterMs !== undefined) metadata.set(RETRY_KEY, String(error.retryAfterMs));
  return { code: TO_GRPC[error.code], details: error.message, metadata };
}

/** Turns an error from a gRPC call back into the AppError the server raised (or the closest one). */
export function fromServiceError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const serviceError = error as Partial<ServiceError>;
  const sent = serviceError.metadata?.get(CODE_KEY)[0];
  const retry = serviceError.metadata?.get(RETRY_KEY)[0];
  const code: ErrorCode = isErrorCode(sent) ? sent : (FROM_GRPC[serviceError.code as Status] ?? 'INTERNAL');
  const message = isErrorCode(sent) ? (serviceError.details ?? code) : `backend call failed: ${Status[serviceError.code as Status] ?? 'UNKNOWN'}`;
  return new AppError(code, message, {
    cause: error,
    retryAfterMs: retry === undefined ? undefined : Number(retry),
  });
}
