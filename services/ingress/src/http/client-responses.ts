import type { ServerResponse } from 'node:http';
import type { AppError } from '@aigw/errors';
import type { ClientProtocol } from '../protocol/client-protocol.js';
import { retryAfterSeconds, toClientError } from '../protocol/error-shape.js';
import { droppedFieldsHeader } from './dropped-fields-header.js';

const JSON_TYPE = 'application/json';

/** Sends an AppError as JSON in the client's protocol, with Retry-After when it has a hint. */
export function sendClientError(res: ServerResponse, protocol: ClientProtocol, error: AppError): void {
  if (res.headersSent) return;
  const { status, body, headers } = toClientError(protocol, error);
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'content-type': JSON_TYPE, 'content-length': String(bytes.length) }).end(bytes);
}

/** Sends a complete provider-call answer (already in the client's format). */
export function sendUpstreamBody(
  res: ServerResponse,
  status: number,
  body: Buffer,
  retryAfterMs: number,
  droppedFields: readonly string[],
): void {
  // A known length spares the client chunked framing and lets node send headers and body in one write.
  const headers: Record<string, string> = { 'content-type': JSON_TYPE, 'content-length': String(body.length) };
  if (retryAfterMs > 0) headers['retry-after'] = retryAfterSeconds(retryAfterMs);
  const dropped = droppedFieldsHeader(droppedFields);
  if (dropped !== undefined) headers['x-aigw-dropped'] = dropped;
  res.writeHead(status, headers).end(body);
}
