import { AppError, toAppError } from '@aigw/errors';
import type { InvokeRequest, StreamStart } from '@aigw/proto';
import { errorEvent } from '../protocol/error-shape.js';
import type { Backends, ProxyRequest, RequestTrace, StreamSink } from './backends.js';
import { outcomeHint, type AttemptResult } from './attempt-result.js';
import { isRetryableError } from './retry-policy.js';
import { withLimitNamed } from './time-limits.js';

const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * One InvokeStream. Until the first data chunk nothing reaches the client, so a failure is returned for
 * the loop to fail over; from the first chunk on the stream is the client's, and a break ends it with the
 * protocol's own error event.
 */
export async function streamAttempt(
  backends: Backends,
  request: ProxyRequest,
  invokeRequest: InvokeRequest,
  trace: RequestTrace,
  sink: StreamSink,
): Promise<AttemptResult> {
  const call = backends.invokeStream(invokeRequest, request.deadline);
  const cancel = () => call.cancel();
  request.signal.addEventListener('abort', cancel, { once: true });
  let start: StreamStart | undefined;
  let committed = false;
  const commit = () => {
    committed = true;
    sink.begin(trace.droppedFields);
  };
  try {
    for await (const chunk of call) {
      if (chunk.start) {
        start = chunk.start;
        trace.proxyId = start.proxyId;
        trace.upstreamLatencyMs = start.upstreamLatencyMs;
        trace.droppedFields = start.droppedFields;
      } else if (chunk.data) {
        if (!committed) commit();
        if (!(await sink.write(chunk.data))) {
          call.cancel();
          trace.errorClass = 'client_cancelled';
          break;
        }
      } else if (chunk.usage) {
        trace.usage = chunk.usage;
      } else if (chunk.error) {
        const failure = chunk.error;
        if (committed) {
          // provider-call has already sent the protocol's error event as data.
          trace.errorClass = failure.errorClass || 'stream_broken';
          continue;
        }
        call.cancel();
        if (failure.status === 0) {
          return { kind: 'failed', error: new AppError('UPSTREAM_ERROR', 'upstream stream failed before any data') };
        }
        return { kind: 'rejected', status: failure.status, body: failure.body, retryAfterMs: failure.retryAfterMs, hint: outcomeHint(failure) };
      }
    }
  } catch (thrown) {
    const error = toAppError(thrown);
    if (request.signal.aborted) {
      if (committed) {
        trace.errorClass = 'client_cancelled';
        sink.end();
        return { kind: 'answered', outcome: { kind: 'streamed', status: start?.status ?? 200 } };
      }
      throw new AppError('CANCELLED', 'client closed the request', { cause: thrown });
    }
    if (!committed) {
      if (isRetryableError(error)) return { kind: 'failed', error };
      throw error;
    }
    // The stream's own time limit ended it, or the gRPC stream itself broke after bytes reached the client:
    // say which in the client's protocol (never a clean end).
    const limit = withLimitNamed(error, request, Date.now());
    if (limit !== error) {
      trace.errorClass = 'stream_timeout';
      await sink.writeEvent(errorEvent(request.protocol, limit));
    } else {
      trace.errorClass = 'stream_broken';
      await sink.writeEvent(errorEvent(request.protocol, new AppError('UPSTREAM_ERROR', 'upstream stream broke off')));
    }
  } finally {
    request.signal.removeEventListener('abort', cancel);
  }
  if (!committed) {
    if (start && !isSuccess(start.status)) {
      return { kind: 'failed', error: new AppError('UPSTREAM_ERROR', 'upstream error status without details') };
    }
    if (!start) return { kind: 'failed', error: new AppError('UPSTREAM_ERROR', 'provider-call stream ended without a start') };
    commit();
  }
  sink.end();
  return { kind: 'answered', outcome: { kind: 'streamed', status: start?.status ?? 200 } };
}
