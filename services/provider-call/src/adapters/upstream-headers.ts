import type { UpstreamTarget } from './provider-adapter.js';

/** JSON request headers plus the account's credential header. */
export function upstreamHeaders(target: UpstreamTarget, stream: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
  };
  if (target.credential !== undefined && target.credential.headerName !== '') {
    headers[target.credential.headerName.toLowerCase()] = target.credential.headerValue;
  }
  return headers;
}

/** `base` + `/path` with exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** Headers of a GET to a model list: JSON accepted, the account's credential. */
export function listHeaders(target: UpstreamTarget): Record<string, string> {
  const { 'content-type': _json, ...headers } = upstreamHeaders(target, false);
  return headers;
}
