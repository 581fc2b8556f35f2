/**
 * Every error condition the gateway names, with the HTTP status a client sees for it.
 * The gRPC status of each code lives in @aigw/grpc (status-map.ts); this table has no dependencies.
 */
export const ERROR_CODES = {
  INVALID_REQUEST: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  MODEL_NOT_FOUND: 404,
  NO_ACCOUNT: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  /** A client key spent its budget for the period. */
  BUDGET_EXCEEDED: 429,
  ACCOUNTS_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UPSTREAM_ERROR: 502,
  UPSTREAM_UNREACHABLE: 502,
  UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
  DEADLINE_EXCEEDED: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `value` names one of the codes above. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
