import type { ErrorCode } from '@aigw/errors';

/**
 * An error as a client format renders it. Errors of the gateway's own carry their AppError `code`;
 * an upstream's error translated into the client's format has only its HTTP status, and takes the
 * code that status stands for.
 */
export interface ClientError {
  status: number;
  message: string;
  code?: ErrorCode;
  /** The request field at fault, where the format has a place for it (OpenAI's `param`). */
  param?: string | null;
}

const STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHENTICATED',
  402: 'PERMISSION_DENIED',
  403: 'PERMISSION_DENIED',
  404: 'MODEL_NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  502: 'UPSTREAM_ERROR',
  503: 'UNAVAILABLE',
  504: 'UPSTREAM_TIMEOUT',
  // Anthropic's "overloaded".
  529: 'UNAVAILABLE',
};

/** The AppError code an HTTP status stands for (other 4xx: INVALID_REQUEST; anything else: UPSTREAM_ERROR). */
export function errorCodeOfStatus(status: number): ErrorCode {
  return STATUS_CODES[status] ?? (status >= 400 && status < 500 ? 'INVALID_REQUEST' : 'UPSTREAM_ERROR');
}

/** The code an error is rendered under: its own, else its status's. */
export function clientErrorCode(error: ClientError): ErrorCode {
  return error.code ?? errorCodeOfStatus(error.status);
}
