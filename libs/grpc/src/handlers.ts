import type { handleServerStreamingCall, handleUnaryCall, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { AppError, toAppError } from '@aigw/errors';
import type { Logger } from '@aigw/logger';
import { recordCall } from './call-metrics.js';
import { toServiceError } from './status-map.js';
import { serverSpan } from './tracing.js';
import { withContext } from '@aigw/tracing';

/** The traceparent a caller sent in the call's metadata, if any. */
function traceparentOf(call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>): string | undefined {
  const value = call.metadata.get('traceparent')[0];
  return typeof value === 'string' ? value : undefined;
}

/** What a handler knows about its call: the remaining budget and a signal that fires when the caller goes away. */
export interface CallContext {
  /** Absolute deadline in ms since epoch; Infinity when the caller set none. */
  deadline: number;
  signal: AbortSignal;
}

function contextOf(call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>): CallContext {
  const controller = new AbortController();
  call.on('cancelled', () => controller.abort(new Error('call cancelled by client')));
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  return { deadline: Number.isFinite(ms) && ms > 0 ? ms : Infinity, signal: controller.signal };
}

/** The AppError for a handler's failure; unexpected (INTERNAL) ones are logged with their cause. */
export function logFailure(logger: Logger, method: string, error: unknown): AppError {
  const appError = toAppError(error);
  if (appError.code === 'INTERNAL') logger.error({ err: error, method }, 'handler failed');
  return appError;
}

/** Adapts an async function to a grpc-js unary handler; AppErrors become statuses, other errors INTERNAL. */
export function unary<Req, Res>(
  logger: Logger,
  method: string,
  fn: (request: Req, ctx: CallContext) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const startedAt = performance.now();
    const span = serverSpan(method, traceparentOf(call));
    withContext(span.ctx, () => fn(call.request, contextOf(call))).then(
      (response) => {
        span.end();
        recordCall(method, startedAt);
        callback(null, response);
      },
      (error: unknown) => {
        span.end(error);
        recordCall(method, startedAt, error);
        callback(toServiceError(logFailure(logger, method, error)));
      },
    );
  };
}

/** Adapts an async function to a grpc-js server-streaming handler; `write` honours backpressure. */
export function serverStream<Req, Chunk>(
  logger: Logger,
  method: string,
  fn: (request: Req, ctx: CallContext, write: (chunk: Chunk) => Promise<void>) => Promise<void>,
): handleServerStreamingCall<Req, Chunk> {
  return (call) => {
    const ctx = contextOf(call);
    const write = (chunk: Chunk) =>
      new Promise<void>((resolve) => {
        if (call.write(chunk)) resolve();
        else call.once('drain', () => resolve());
      });
    const startedAt = performance.now();
    const span = serverSpan(method, traceparentOf(call));
    withContext(span.ctx, () => fn(call.request, ctx, write)).then(
      () => {
        span.end();
        recordCall(method, startedAt);
        call.end();
      },
      (error: unknown) => {
        span.end(error);
        recordCall(method, startedAt, ctx.signal.aborted ? new AppError('CANCELLED', 'call cancelled by client') : error);
        if (ctx.signal.aborted) return;
        // grpc-js turns an 'error' event into the call's status (after the chunks already written); destroy(error)
        // would tear the stream down without ever sending a status, and the caller would wait for its deadline.
        call.emit('error', toServiceError(logFailure(logger, method, error)));
      },
    );
  };
}
