import { toAppError } from '@aigw/errors';
import type { CountTokensRequest, InvokeRequest } from '@aigw/proto';
import { outcomeHint, type AttemptResult } from './attempt-result.js';
import type { Backends, ProxyRequest, RequestTrace } from './backends.js';
import { isRetryableError } from './retry-policy.js';

/** The CountTokens request for an attempt's InvokeRequest (same account, credential, body and headers). */
export function countRequestFor(invoke: InvokeRequest): CountTokensRequest {
  const { stream: _stream, ...count } = invoke;
  return count;
}

/**
 * One CountTokens: the count in the client's shape, or the upstream's refusal (a bad request, a rejected
 * credential) for the loop to answer or fail over on; provider-call itself falls back to an estimate when the
 * count endpoint fails, so a rate limit on counting never cools an account down for chat.
 */
export async function countAttempt(backends: Backends, request: ProxyRequest, invoke: InvokeRequest, trace: RequestTrace): Promise<AttemptResult> {
  let response;
  try {
    response = await backends.countTokens(countRequestFor(invoke), request.deadline, request.signal);
  } catch (thrown) {
    const error = toAppError(thrown);
    if (isRetryableError(error) && !request.signal.aborted) return { kind: 'failed', error };
    throw error;
  }
  trace.droppedFields = response.droppedFields;
  if (response.status >= 200 && response.status < 300) {
    trace.countEstimated = response.estimated;
    return { kind: 'answered', outcome: { kind: 'response', status: response.status, body: response.body, retryAfterMs: 0 } };
  }
  return { kind: 'rejected', status: response.status, body: response.body, retryAfterMs: response.retryAfterMs, hint: outcomeHint(response) };
}
