import type { handleBidiStreamingCall, ServerDuplexStream } from '@grpc/grpc-js';
import { AppError } from '@aigw/errors';
import type { Logger } from '@aigw/logger';
import { recordCall } from './call-metrics.js';
import { logFailure, type CallContext } from './handlers.js';
import { MuxCallContext } from './mux-call-context.js';
import { toMuxError, type MuxBatch, type MuxCallName, type MuxRequestEnvelope, type MuxResponseEnvelope } from './mux-envelope.js';
import { StreamCredit } from './mux-stream-credit.js';
import { MuxWriter } from './mux-writer.js';
import { serverSpan } from './tracing.js';
import { withContext } from '@aigw/tracing';

/** A streamed call's handler: it writes its messages (each write waits for the caller's credit). */
export interface MuxStreamHandler<Q, R> {
  stream: (request: Q, ctx: CallContext, write: (message: R) => Promise<void>) => Promise<void>;
}

/** A unary call's handler (an async function to its answer), or a streamed call's. */
export type MuxHandler<Q, R> = ((request: Q, ctx: CallContext) => Promise<R>) | MuxStreamHandler<Q, R>;

/** One handler per call of a multiplexed RPC, named like the request's oneof field. */
export type MuxHandlers<Req, Res> = {
  [K in MuxCallName<Req> & keyof Res]: MuxHandler<NonNullable<Req[K]>, NonNullable<Res[K]>>;
};

/** Marks a handler as a streamed call's. */
export function muxStream<Q, R>(stream: MuxStreamHandler<Q, R>['stream']): MuxStreamHandler<Q, R> {
  return { stream };
}

const END = {};

/** A call running on a stream: its context, and a streamed call's credit. */
interface Running {
  ctx: MuxCallContext;
  credit: StreamCredit | undefined;
}

/** A multiplexed RPC's server side: its grpc-js handler and a way to wind its streams down. */
export interface MuxService<Req, Res> {
  handler: handleBidiStreamingCall<MuxBatch<Req>, MuxBatch<Res>>;
  /**
   * Shutdown: every stream answers what it holds, refuses new calls with UNAVAILABLE, and ends once idle,
   * so that the gRPC server's graceful shutdown does not wait on streams that would otherwise never end.
   */
  drain(): void;
}

/**
 * Serves a multiplexed RPC: each request on a stream runs its handler with a deadline (from timeout_ms) and a
 * signal (aborted by `cancel`, or when the stream goes away); the answer, or the AppError, goes back with the
 * request's id. A streamed call sends its messages as its handler writes them, paced by the caller's
 * `credit`, then `end`. A stream ends when the client half-closes it (or on drain) and its calls are over.
 */
export function muxService<Req extends MuxRequestEnvelope, Res extends MuxResponseEnvelope>(
  logger: Logger,
  method: string,
  handlers: MuxHandlers<Req, Res>,
): MuxService<Req, Res> {
  const names = Object.keys(handlers) as (MuxCallName<Req> & keyof Res)[];
  const streams = new Set<() => void>();
  let draining = false;

  const handler: handleBidiStreamingCall<MuxBatch<Req>, MuxBatch<Res>> = (call: ServerDuplexStream<MuxBatch<Req>, MuxBatch<Res>>) => {
    const inFlight = new Map<number, Running>();
    const stop = (running: Running | undefined, reason: AppError) => {
      running?.ctx.abort(reason);
      running?.credit?.end();
    };
    let readDone = false;
    let ended = false;
    const writer = new MuxWriter<Res>(call, () => !call.cancelled && !ended);
    const endIfIdle = () => {
      if (ended || inFlight.size > 0 || !(readDone || draining)) return;
      writer.flush();
      ended = true;
      streams.delete(endIfIdle);
      if (!call.cancelled) call.end();
    };
    const answer = (response: Res) => {
      if (!call.cancelled && !ended) writer.write(response);
    };
    streams.add(endIfIdle);

    const serve = (request: Req) => {
      const { id } = request;
      if (request.cancel !== undefined) {
        stop(inFlight.get(id), new AppError('CANCELLED', 'call cancelled by client'));
        return;
      }
      if (request.credit !== undefined) {
        inFlight.get(id)?.credit?.grant(request.credit.messages);
        return;
      }
      if (draining) {
        answer({ id, error: toMuxError(new AppError('UNAVAILABLE', 'server is shutting down')) } as Res);
        return;
      }
      const name = names.find((n) => request[n] !== undefined);
      if (name === undefined) {
        answer({ id, error: toMuxError(new AppError('INVALID_REQUEST', `${method}: request carries no known call`)) } as Res);
        return;
      }
      const ctx = new MuxCallContext(request.timeoutMs > 0 ? Date.now() + request.timeoutMs : Infinity);
      const handler = handlers[name] as MuxHandler<unknown, unknown>;
      const credit = typeof handler === 'function' ? undefined : new StreamCredit();
      inFlight.set(id, { ctx, credit });
      const startedAt = performance.now();
      const span = serverSpan(`${method}.${name}`, request.traceparent);
      let result: Promise<unknown>;
      try {
        if (typeof handler === 'function') {
          result = withContext(span.ctx, () => handler(request[name], ctx));
        } else {
          result = withContext(span.ctx, () =>
            handler.stream(request[name], ctx, async (message) => {
              await credit?.take();
              if (!ctx.aborted) answer({ id, [name]: message } as unknown as Res);
            }),
          );
        }
      } catch (error) {
        result = Promise.reject(error);
      }
      result.then(
        (result) => {
          span.end();
          recordCall(`${method}.${name}`, startedAt);
          if (!ctx.aborted) answer((credit === undefined ? { id, [name]: result } : { id, end: END }) as unknown as Res);
        },
        (error: unknown) => {
          span.end(error);
          recordCall(`${method}.${name}`, startedAt, error);
          if (!ctx.aborted) answer({ id, error: toMuxError(logFailure(logger, `${method}.${name}`, error)) } as Res);
        },
      ).finally(() => {
        inFlight.delete(id);
        endIfIdle();
      });
    };
    call.on('data', (batch: MuxBatch<Req>) => {
      for (const request of batch.messages) serve(request);
    });
    call.on('end', () => {
      readDone = true;
      endIfIdle();
    });
    // The client went away (cancelled), or the stream is over however it ended (close): nothing can be
    // answered any more, so the calls still running stop.
    const gone = () => {
      ended = true;
      streams.delete(endIfIdle);
      for (const running of inFlight.values()) stop(running, new AppError('CANCELLED', 'stream cancelled by client'));
    };
    call.on('cancelled', gone);
    call.on('close', gone);
    call.on('error', () => undefined);
  };

  return {
    handler,
    drain() {
      draining = true;
      for (const endIfIdle of [...streams]) endIfIdle();
    },
  };
}
