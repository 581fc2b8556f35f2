import { randomUUID } from 'node:crypto';

const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The client's x-request-id when it is safe to reuse (≤ 64 chars of [A-Za-z0-9._-]), else a fresh UUID. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && CLIENT_ID.test(header) ? header : randomUUID();
}
