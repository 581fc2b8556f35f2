import type { IncomingHttpHeaders } from 'node:http';
import { asRecord, asString, parseJson } from '../ir/json-shape.js';
import { retryHint } from './retry-hint.js';

const MAX_MESSAGE = 300;

// Things that look like credentials, wherever an upstream echoes them: keys, bearer tokens, JWTs, long opaque strings.
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(sk|rk|pk|sess|aigw|AIza|ya29|glm)[-_.][\w.-]{5,}\w/gi,
  /\bBearer\s+\S+/gi,
  /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g,
  /\b[A-Za-z0-9_-]{32,}\b/g,
];

/**
 * The upstream's own error message for operators (an account's last error): `error.message` (OpenAI,
 * Anthropic, Google) or a top-level `message`, on one line, at most 300 characters, with anything that looks
 * like a credential replaced. '' when the body holds none: the body itself is never echoed.
 */
export function upstreamErrorMessage(text: string): string {
  const parsed = parseJson(text);
  const root = asRecord(Array.isArray(parsed) ? parsed[0] : parsed);
  const message = asString(asRecord(root?.error)?.message) ?? asString(root?.message) ?? asString(root?.error) ?? '';
  let clean = message.replace(/\s+/g, ' ').trim();
  for (const pattern of SECRET_PATTERNS) clean = clean.replace(pattern, '[redacted]');
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE - 1)}…` : clean;
}

/** The fields an upstream error adds to InvokeResponse / StreamError / CountTokensResponse for the selector. */
export interface FailureReport {
  retryAfterMs: number;
  retryAfterSource: string;
  resetAtS: number;
  upstreamMessage: string;
}

/** What the caller reports to the selector about an upstream error: its retry hint (with a decoder's fallback) and message. */
export function failureReport(headers: IncomingHttpHeaders, text: string, decodedRetryAfterMs?: number, now = Date.now()): FailureReport {
  const hint = retryHint(headers, text, now);
  const upstreamMessage = upstreamErrorMessage(text);
  if (hint === undefined) {
    return { retryAfterMs: decodedRetryAfterMs ?? 0, retryAfterSource: decodedRetryAfterMs ? 'retry-info' : '', resetAtS: 0, upstreamMessage };
  }
  return {
    retryAfterMs: hint.delayMs,
    retryAfterSource: hint.source,
    resetAtS: hint.resetAt === undefined ? 0 : Math.ceil(hint.resetAt / 1000),
    upstreamMessage,
  };
}
