import { toAppError } from '@aigw/errors';
import type { InvokeRequest } from '@aigw/proto';
import type { Backends, ProxyRequest, RequestTrace } from './backends.js';
import { outcomeHint, type AttemptResult } from './attempt-result.js';
import { isRetryableError } from './retry-policy.js';

/** One Invoke: a complete answer, an upstream rejection, or a retryable failure; anything else is thrown. */
export async function unaryAttempt(
  backends: Backends,
  request: ProxyRequest,
  invokeRequest: InvokeRequest,
  trace: RequestTrace,
): Promise<AttemptResult> {
  let response;
  try {
    response = await backends.invoke(invokeRequest, request.deadline, request.signal);
  } catch (thrown) {
    const error = toAppError(thrown);
    if (isRetryableError(error) && !request.signal.aborted) return { kind: 'failed', error };
    throw error;
  }
  trace.proxyId = response.proxyId;
  trace.upstreamLatencyMs = response.upstreamLatencyMs;
  trace.droppedFields = response.droppedFields;
  const body = response.body;
  if (response.status >= 200 && response.status < 300) {
    trace.usage = response.usage;
    return { kind: 'answered', outcome: { kind: 'response', status: response.status, body, retryAfterMs: 0 } };
  }
  return { kind: 'rejected', status: response.status, body, retryAfterMs: response.retryAfterMs, hint: outcomeHint(response) };
}
