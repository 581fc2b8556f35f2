import type { IncomingHttpHeaders } from 'node:http';

/** The longest wait an upstream hint is taken at (a day). */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The retry hint of an upstream answer in ms: `retry-after-ms` (OpenAI), else `Retry-After` as
 * seconds or as an HTTP-date; undefined when absent or unreadable.
 */
export function retryAfterMs(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.min(Math.ceil(Number(ms)), MAX_RETRY_AFTER_MS);
  const value = header(headers, 'retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.min(Math.ceil(Number(value) * 1000), MAX_RETRY_AFTER_MS);
  // An HTTP-date names its day and month; without letters Date.parse would read "-3" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}
