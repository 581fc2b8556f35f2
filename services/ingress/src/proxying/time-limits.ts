import { AppError } from '@aigw/errors';

// The gateway's time limits as ingress sees them. Ingress owns the limit on a whole request (one for
// non-streaming requests, one for streams, propagated to the backends as the gRPC deadline); provider-call
// owns the limits on one upstream call (the whole-call limit of a non-streaming call, the idle limit of a
// stream), whose errors arrive as UPSTREAM_TIMEOUT. Whichever ends a request, its error names it, and none
// of them says anything about the account (see retry-policy.ts).

/** A request's own time limit: how long it may take, and so its deadline. */
export interface RequestTimeLimit {
  stream: boolean;
  /** Absolute ms. */
  deadline: number;
  /** The limit the deadline was set from (REQUEST_TIMEOUT_MS or STREAM_TIMEOUT_MS). */
  timeLimitMs?: number | undefined;
}

/** A duration as a person reads it in an error message: "600 s", "1.5 s", "250 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1_000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** The error of a request that reached the gateway's time limit for its kind. */
export function requestLimitError(limit: RequestTimeLimit): AppError {
  const after = limit.timeLimitMs === undefined ? '' : ` (${formatDuration(limit.timeLimitMs)})`;
  return limit.stream
    ? new AppError('DEADLINE_EXCEEDED', `the stream reached the gateway's time limit for a stream${after}`, { details: { limit: 'stream' } })
    : new AppError('DEADLINE_EXCEEDED', `no answer within the gateway's time limit for a request${after}`, { details: { limit: 'request' } });
}

/**
 * The error a request ends with: a DEADLINE_EXCEEDED once the request's own deadline has passed is that limit
 * (whoever noticed first: the attempt loop, the gRPC deadline, provider-call), and says so; a DEADLINE_EXCEEDED
 * before it is a backend that stalled, and stays as it is.
 */
export function withLimitNamed(error: AppError, limit: RequestTimeLimit, now: number): AppError {
  if (error.code !== 'DEADLINE_EXCEEDED' || error.details.limit !== undefined || now < limit.deadline) return error;
  return requestLimitError(limit);
}

/** The request log's error class of an AppError; a time limit is named (the upstream's two by the request's kind). */
export function errorClassOf(error: AppError, stream: boolean): string {
  if (error.details.limit === 'stream') return 'stream_timeout';
  if (error.details.limit === 'request') return 'request_timeout';
  // provider-call's only time limit on a stream is the idle one, on a non-streaming call the whole-call one.
  if (error.code === 'UPSTREAM_TIMEOUT') return stream ? 'stream_idle_timeout' : 'call_timeout';
  if (error.code === 'CANCELLED') return 'client_cancelled';
  if (error.details.shed !== undefined) return 'overloaded';
  return error.code.toLowerCase();
}
