import { AppError } from '@aigw/errors';

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Turns an express.json() failure into an AppError with a message safe to show (never the parser's echo of the body). */
export function bodyParserError(error: unknown): AppError {
  const { type, status } = (error ?? {}) as BodyParserError;
  if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'request body is too large', { cause: error });
  if (type === 'entity.parse.failed') return new AppError('INVALID_REQUEST', 'request body is not valid JSON', { cause: error });
  if (type === 'charset.unsupported') return new AppError('INVALID_REQUEST', 'request body must be UTF-8 JSON', { cause: error });
  if (type === 'encoding.unsupported') return new AppError('INVALID_REQUEST', 'unsupported Content-Encoding', { cause: error });
  if (type === 'request.aborted') return new AppError('CANCELLED', 'request aborted by the client', { cause: error });
  if (status !== undefined && status >= 400 && status < 500) {
    return new AppError('INVALID_REQUEST', 'request body could not be read', { cause: error });
  }
  return new AppError('INTERNAL', 'internal error', { cause: error });
}
