import type { IncomingHttpHeaders } from 'node:http';

// How one request is bent away from the happy path. Three sources, merged weakest first:
// emulator defaults < scripted rule < `[emu ...]` directive in the last user message < x-emu-* headers.
// The directive exists because the gateway does not forward client headers: it is how end-to-end tests
// reach the emulator through the whole stack.

export interface Steering {
  /** Answer with this status; outside 2xx the body is the format's error shape. */
  status?: number;
  /** Adds `Retry-After: <seconds>`. */
  retryAfterSeconds?: number;
  /**
   * An account's quota is used up and resets in this many seconds: 429 (unless `status` says otherwise) with
   * Google's quota error (ErrorInfo `quotaResetDelay` / `quotaResetTimeStamp`, RetryInfo) on Google formats,
   * the format's own 429 with `Retry-After` elsewhere.
   */
  quotaResetSeconds?: number;
  /** Wait before the response headers. */
  delayMs?: number;
  /** Drop the connection after this many body bytes (JSON or SSE). */
  dieAfterBytes?: number;
  /** Number of content chunks a stream is split into. */
  chunks?: number;
  /** Wait between streamed events. */
  chunkDelayMs?: number;
  /**
   * A stream answers 200, sends its first half of events, then this status as the format's in-stream
   * error event (Anthropic `event: error`, a `data: {"error":...}` elsewhere) and ends cleanly: what
   * providers do when they fail mid-answer. die_after_bytes, by contrast, drops the connection.
   */
  streamErrorStatus?: number;
  /** A stream goes silent for `pauseMs` after this many events (0: right after its headers). */
  pauseAfterEvents?: number;
  /** How long that silence lasts. */
  pauseMs?: number;
}

type SteeringKey = keyof Steering;

const STEERING_KEYS: readonly SteeringKey[] = [
  'status',
  'retryAfterSeconds',
  'quotaResetSeconds',
  'delayMs',
  'dieAfterBytes',
  'chunks',
  'chunkDelayMs',
  'streamErrorStatus',
  'pauseAfterEvents',
  'pauseMs',
];

const HEADER_KEYS: ReadonlyArray<readonly [string, SteeringKey]> = [
  ['x-emu-status', 'status'],
  ['x-emu-retry-after', 'retryAfterSeconds'],
  ['x-emu-quota-reset', 'quotaResetSeconds'],
  ['x-emu-delay-ms', 'delayMs'],
  ['x-emu-die-after-bytes', 'dieAfterBytes'],
  ['x-emu-chunks', 'chunks'],
  ['x-emu-chunk-delay-ms', 'chunkDelayMs'],
  ['x-emu-stream-error', 'streamErrorStatus'],
  ['x-emu-pause-after', 'pauseAfterEvents'],
  ['x-emu-pause-ms', 'pauseMs'],
];

const DIRECTIVE_KEYS: Readonly<Record<string, SteeringKey>> = {
  status: 'status',
  retry_after: 'retryAfterSeconds',
  quota_reset: 'quotaResetSeconds',
  delay_ms: 'delayMs',
  die_after_bytes: 'dieAfterBytes',
  chunks: 'chunks',
  chunk_delay_ms: 'chunkDelayMs',
  stream_error: 'streamErrorStatus',
  pause_after: 'pauseAfterEvents',
  pause_ms: 'pauseMs',
};

/** A valid value for the key, or undefined: bad steering is ignored rather than failing the request. */
export function steeringValue(key: SteeringKey, raw: unknown): number | undefined {
  const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  if (key === 'status') return Number.isInteger(value) && value >= 200 && value <= 599 ? value : undefined;
  if (key === 'streamErrorStatus') return Number.isInteger(value) && value >= 400 && value <= 599 ? value : undefined;
  if (key === 'chunks') return value >= 1 ? Math.floor(value) : undefined;
  if (key === 'pauseAfterEvents') return Math.floor(value);
  return value;
}

/** Steering from x-emu-* request headers; undefined when there is none (the common case). */
export function steeringFromHeaders(headers: IncomingHttpHeaders): Steering | undefined {
  let steering: Steering | undefined;
  for (const [header, key] of HEADER_KEYS) {
    const raw = headers[header];
    if (typeof raw !== 'string') continue;
    const value = steeringValue(key, raw);
    if (value === undefined) continue;
    steering ??= {};
    steering[key] = value;
  }
  return steering;
}

/** A whole `[emu key=value ...]` directive; group 1 holds the pairs. */
export const DIRECTIVE_PATTERN = /\[emu((?:\s+[^\s\]]+)*)\s*\]/g;

/**
 * Steering from `[emu status=503 retry_after=2 quota_reset=3600 delay_ms=50 die_after_bytes=100 chunks=20 chunk_delay_ms=10
 * stream_error=529 pause_after=3 pause_ms=1500]` directives in text (any subset of keys; with several directives the later one wins).
 * Keys for the answer itself (tool, thinking, cached) are read by answer-directives.ts.
 */
export function parseDirective(text: string): Steering | undefined {
  if (!text.includes('[emu')) return undefined;
  let steering: Steering | undefined;
  for (const match of text.matchAll(DIRECTIVE_PATTERN)) {
    for (const pair of (match[1] ?? '').trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const key = DIRECTIVE_KEYS[pair.slice(0, eq)];
      if (key === undefined) continue;
      const value = steeringValue(key, pair.slice(eq + 1));
      if (value === undefined) continue;
      steering ??= {};
      steering[key] = value;
    }
  }
  return steering;
}

/** Overlays the sources left to right: a later defined value wins. */
export function mergeSteering(...sources: ReadonlyArray<Steering | undefined>): Steering {
  const merged: Steering = {};
  for (const source of sources) {
    if (source === undefined) continue;
    for (const key of STEERING_KEYS) {
      const value = source[key];
      if (value !== undefined) merged[key] = value;
    }
  }
  return merged;
}

/** Picks the steering fields out of an untrusted object (a scripted rule, options); throws on bad values. */
export function pickSteering(source: Record<string, unknown>): Steering {
  const steering: Steering = {};
  for (const key of STEERING_KEYS) {
    if (source[key] === undefined) continue;
    const value = typeof source[key] === 'number' ? steeringValue(key, source[key]) : undefined;
    if (value === undefined) throw new TypeError(`invalid ${key}: ${JSON.stringify(source[key])}`);
    steering[key] = value;
  }
  return steering;
}
