import type { IncomingHttpHeaders } from 'node:http';
import { v7 } from 'uuid';

// What a client id must look like to be kept, echoed and logged: short, printable, no separators that could
// split a header or a log line.
const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A fresh id for one request: a UUIDv7, so that ids sort by time (useful in request_logs and log search).
 * The gateway owns it: it is the x-request-id answered, the gRPC request id, the log event's id and its
 * JetStream message id. Nothing the client sends ever becomes it (DESIGN §1, step 0).
 */
export function newRequestId(): string {
  return v7();
}

/**
 * The client's own id for a request, kept only as `client_request_id` (echoed, logged, searchable): its
 * `x-request-id`, else the `x-client-request-id` some clients send instead (Codex CLI sends its session id
 * there, which lets an operator find one session's requests). '' when neither is present or safe
 * (≤ 64 chars of [A-Za-z0-9._-]).
 */
export function clientRequestIdOf(headers: IncomingHttpHeaders): string {
  const header = headers['x-request-id'];
  if (typeof header === 'string' && CLIENT_ID.test(header)) return header;
  const fallback = headers['x-client-request-id'];
  return typeof fallback === 'string' && CLIENT_ID.test(fallback) ? fallback : '';
}
