import type { IncomingHttpHeaders } from 'node:http';
import { asArray, asRecord, asString, parseJson } from '../ir/json-shape.js';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from './retry-after.js';

/** Where a retry delay came from: a header, Google's quota reset (ErrorInfo metadata), Google's RetryInfo. */
export type RetryHintSource = 'retry-after' | 'quota-reset' | 'retry-info';

/** How long the upstream asked us to wait, when it says its quota resets (unix ms), and on whose word. */
export interface RetryHint {
  delayMs: number;
  resetAt?: number;
  source: RetryHintSource;
}

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000_001 };

/**
 * A duration as Google and Go spell it: protobuf JSON (`"43s"`, `"0.479417207s"`) or Go's (`"2h21m54.19s"`,
 * `"479.417207ms"`), and OpenAI's reset headers (`"6m0s"`, `"1s"`, `"20ms"`) → ms; undefined when unreadable.
 */
export function durationToMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) ms += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  return Math.ceil(ms);
}

const capped = (ms: number) => Math.min(Math.max(0, Math.ceil(ms)), MAX_RETRY_AFTER_MS);

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim();
}

/**
 * Google's error details (`{error:{details:[…]}}`, sometimes wrapped in an array): ErrorInfo metadata
 * `quotaResetTimeStamp` / `quotaResetDelay` (Cloud Code's quota errors), else RetryInfo `retryDelay`.
 */
export function googleRetryHint(text: string, now: number): RetryHint | undefined {
  if (!text.includes('"details"')) return undefined;
  const parsed = parseJson(text);
  const error = asRecord(asRecord(Array.isArray(parsed) ? parsed[0] : parsed)?.error);
  let retryInfo: number | undefined;
  let reset: RetryHint | undefined;
  for (const detail of asArray(error?.details) ?? []) {
    const d = asRecord(detail);
    if (d?.['@type'] === RETRY_INFO) retryInfo ??= durationToMs(d.retryDelay);
    if (d?.['@type'] !== ERROR_INFO || reset !== undefined) continue;
    const metadata = asRecord(d.metadata);
    const stamp = Date.parse(asString(metadata?.quotaResetTimeStamp) ?? '');
    const delay = durationToMs(metadata?.quotaResetDelay);
    if (!Number.isNaN(stamp)) reset = { delayMs: capped(stamp - now), resetAt: stamp, source: 'quota-reset' };
    else if (delay !== undefined) reset = { delayMs: capped(delay), resetAt: now + delay, source: 'quota-reset' };
  }
  if (reset !== undefined) return reset;
  return retryInfo === undefined ? undefined : { delayMs: capped(retryInfo), source: 'retry-info' };
}

/**
 * The latest reset among the limits a rate-limit header family says are used up: Anthropic's
 * `anthropic-ratelimit-<limit>-remaining` / `-reset` (RFC 3339) and OpenAI's `x-ratelimit-remaining-<limit>` /
 * `x-ratelimit-reset-<limit>` (a duration).
 */
export function rateLimitResetMs(headers: IncomingHttpHeaders, now: number): number | undefined {
  let latest: number | undefined;
  const consider = (ms: number | undefined) => {
    if (ms !== undefined && (latest === undefined || ms > latest)) latest = ms;
  };
  for (const name of Object.keys(headers)) {
    const anthropic = /^anthropic-ratelimit-([a-z-]+)-reset$/.exec(name);
    if (anthropic && header(headers, `anthropic-ratelimit-${anthropic[1]}-remaining`) === '0') {
      const at = Date.parse(header(headers, name) ?? '');
      if (!Number.isNaN(at)) consider(at - now);
    }
    const openai = /^x-ratelimit-reset-([a-z-]+)$/.exec(name);
    if (openai && header(headers, `x-ratelimit-remaining-${openai[1]}`) === '0') consider(durationToMs(header(headers, name)));
  }
  return latest === undefined ? undefined : capped(latest);
}

/**
 * The retry hint of an upstream error, from every place providers put one: Google's quota reset, then its
 * RetryInfo, then `retry-after-ms` / `Retry-After`, then the rate-limit reset headers of the limits used up.
 */
export function retryHint(headers: IncomingHttpHeaders, text: string, now = Date.now()): RetryHint | undefined {
  const google = googleRetryHint(text, now);
  if (google !== undefined) return google;
  const after = retryAfterMs(headers, now);
  if (after !== undefined) return { delayMs: after, source: 'retry-after' };
  const reset = rateLimitResetMs(headers, now);
  return reset === undefined ? undefined : { delayMs: reset, source: 'retry-after' };
}
