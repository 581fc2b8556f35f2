import type { ErrorRequestHandler, RequestHandler } from 'express';
import { Prisma } from '@aigw/db';
import { AppError, toAppError } from '@aigw/errors';
import type { Logger } from '@aigw/logger';
import { z } from '@aigw/config';
import { bodyParserError } from '../protocol/body-parser-error.js';
import { errorBody } from '../protocol/error-shape.js';

/** Field path → message, for 400 answers. */
function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(body)';
    fields[path] ??= issue.message;
  }
  return fields;
}

/** Database errors that are the caller's doing, as AppErrors. */
function fromPrisma(error: Prisma.PrismaClientKnownRequestError): AppError {
  if (error.code === 'P2002') return new AppError('CONFLICT', 'a record with the same unique value already exists', { cause: error });
  if (error.code === 'P2025') return new AppError('NOT_FOUND', 'not found', { cause: error });
  if (error.code === 'P2003') return new AppError('INVALID_REQUEST', 'a referenced record does not exist', { cause: error });
  return toAppError(error);
}

/** Prisma's messages can quote the query's arguments (a proxy URL, say): log only what kind of failure it was. */
function loggable(error: unknown): unknown {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return typeof name === 'string' && name.startsWith('PrismaClient') ? { name, code } : error;
}

/** Renders admin failures as JSON `{error:{message,type,code,fields?}}`; never a stack trace. */
export function adminErrorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown: unknown, _req, res, _next) => {
    if (thrown instanceof z.ZodError) {
      res.status(400).json({
        error: { message: 'invalid request', type: 'invalid_request_error', code: 'invalid_request', param: null, fields: fieldErrors(thrown) },
      });
      return;
    }
    let error: AppError;
    if (thrown instanceof Prisma.PrismaClientKnownRequestError) error = fromPrisma(thrown);
    else if (thrown instanceof AppError) error = thrown;
    else if (typeof (thrown as { type?: unknown })?.type === 'string') error = bodyParserError(thrown);
    else error = toAppError(thrown);
    if (error.code === 'INTERNAL') logger.error({ err: loggable(thrown), requestId: res.locals.requestId as string }, 'admin request failed');
    res.status(error.httpStatus).json(errorBody('openai', error));
  };
}

/** 404 for admin paths that do not exist. */
export const adminNotFound: RequestHandler = (_req, _res, next) => {
  next(new AppError('NOT_FOUND', 'no such admin endpoint'));
};
