import type { AppError } from '@aigw/errors';
import { StreamFraming, type Account, type Credential, type InvokeRequest } from '@aigw/proto';
import { CLIENT_FORMAT } from '../protocol/client-protocol.js';
import type { OutcomeHint, ProxyOutcome, ProxyRequest } from './backends.js';

/** How one upstream call through provider-call ended. */
export type AttemptResult =
  /** The client has its answer (a success body ready to send, or a stream already delivered). */
  | { kind: 'answered'; outcome: ProxyOutcome }
  /** The upstream said no before any byte reached the client; `body` is in the client's shape. */
  | { kind: 'rejected'; status: number; body: Buffer; retryAfterMs: number; hint: OutcomeHint }
  /** No upstream answer at all (connect error, timeout, provider-call unavailable), before any byte. */
  | { kind: 'failed'; error: AppError };

/** The hint fields provider-call sets on a refused call (InvokeResponse, StreamError, CountTokensResponse). */
export function outcomeHint(answer: { retryAfterSource: string; resetAtS: number; upstreamMessage: string }): OutcomeHint {
  return { retryAfterSource: answer.retryAfterSource, resetAtS: answer.resetAtS, message: answer.upstreamMessage };
}

/** The InvokeRequest for one attempt. */
export function invokeRequestFor(
  request: ProxyRequest,
  upstreamModel: string,
  account: Account,
  credential: Credential,
): InvokeRequest {
  return {
    requestId: request.requestId,
    clientFormat: CLIENT_FORMAT[request.protocol],
    body: request.body,
    upstreamModel,
    account,
    credential,
    streamFraming: request.framing === 'json-array' ? StreamFraming.STREAM_FRAMING_JSON_ARRAY : StreamFraming.STREAM_FRAMING_SSE,
    stream: request.stream,
    clientHeaders: request.clientHeaders,
    responseId: request.responseId ?? '',
  };
}
