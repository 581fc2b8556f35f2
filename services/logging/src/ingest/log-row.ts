import { createHash } from 'node:crypto';
import { AppError } from '@aigw/errors';
import { AffinityOutcome, ClientFormat, type RequestLogEvent } from '@aigw/proto';

/** One `request_logs` row, already fitted to the column types so that a strict-mode insert cannot fail on it. */
export interface LogRow {
  requestId: string;
  /** The client's own id, null when it sent none: searchable, never the row's identity. */
  clientRequestId: string | null;
  apiKeyId: number | null;
  providerId: number | null;
  model: string;
  upstreamModel: string | null;
  accountId: number | null;
  proxyId: number | null;
  statusCode: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** What the request cost in micro-USD; null when its price is unknown. */
  costMicroUsd: number | null;
  latencyMs: number;
  upstreamLatencyMs: number;
  errorClass: string | null;
  isStream: boolean;
  attempts: number;
  clientFormat: string;
  droppedFields: string | null;
  /** What session affinity did (hit, new_binding, rebound); null when it did nothing. */
  affinity: string | null;
  /** UTC `YYYY-MM-DD HH:MM:SS.mmm`. */
  startedAt: string;
  /** UTC `YYYY-MM-DD HH:MM:SS.mmm`: when the request finished. */
  createdAt: string;
  /** UTC day of `createdAt`, the rollup key. */
  day: string;
}

const INT_MAX = 2_147_483_647;
const SMALLINT_MAX = 32_767;
// Timestamps outside this window are clock garbage; the stream's receive time is used instead.
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const FUTURE_SLACK_MS = 24 * 3600 * 1000;
// Ids kept as they are; anything else is stored as a digest (see storedRequestId).
const PLAIN_REQUEST_ID = /^[\x21-\x7e]{1,64}$/;

const CLIENT_FORMAT_NAMES: Partial<Record<ClientFormat, string>> = {
  [ClientFormat.CLIENT_FORMAT_OPENAI]: 'openai',
  [ClientFormat.CLIENT_FORMAT_ANTHROPIC]: 'anthropic',
  [ClientFormat.CLIENT_FORMAT_GEMINI]: 'gemini',
  [ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES]: 'responses',
  [ClientFormat.CLIENT_FORMAT_OPENAI_EMBEDDINGS]: 'embeddings',
};

const AFFINITY_NAMES: Partial<Record<AffinityOutcome, string>> = {
  [AffinityOutcome.AFFINITY_OUTCOME_HIT]: 'hit',
  [AffinityOutcome.AFFINITY_OUTCOME_NEW_BINDING]: 'new_binding',
  [AffinityOutcome.AFFINITY_OUTCOME_REBOUND]: 'rebound',
};

/** The times an event is judged by. */
export interface EventClock {
  nowMs: number;
  /** When the event reached the stream; read only for an event whose own finish time is missing or absurd. */
  receivedAtMs(): number;
}

/**
 * Maps a decoded event to a row. The stream's receive time stands in for a missing or absurd finish time
 * (before 2000, or more than a day after now). Throws AppError INVALID_REQUEST when the event has no request
 * id (its message is then terminated).
 */
export function toLogRow(event: RequestLogEvent, clock: EventClock): LogRow {
  if (event.requestId === '') throw new AppError('INVALID_REQUEST', 'log event has no request id');
  const createdMs = plausibleTime(event.finishedAtMs, clock.nowMs) ?? clock.receivedAtMs();
  const startedMs = plausibleTime(event.startedAtMs, clock.nowMs);
  const createdAt = utcDateTime(createdMs);
  return {
    requestId: storedRequestId(event.requestId),
    clientRequestId: event.clientRequestId === '' ? null : fit(event.clientRequestId, 64),
    apiKeyId: rowId(event.apiKeyId),
    providerId: rowId(event.providerId),
    model: fit(event.model, 128),
    upstreamModel: event.upstreamModel === '' ? null : fit(event.upstreamModel, 128),
    accountId: rowId(event.accountId),
    proxyId: rowId(event.proxyId),
    statusCode: clamp(event.statusCode, SMALLINT_MAX),
    inputTokens: clamp(event.usage?.inputTokens ?? 0, INT_MAX),
    outputTokens: clamp(event.usage?.outputTokens ?? 0, INT_MAX),
    cachedTokens: clamp(event.usage?.cachedInputTokens ?? 0, INT_MAX),
    costMicroUsd: event.costMicroUsd === undefined ? null : clamp(event.costMicroUsd, Number.MAX_SAFE_INTEGER),
    latencyMs: clamp(event.latencyMs, INT_MAX),
    upstreamLatencyMs: clamp(event.upstreamLatencyMs, INT_MAX),
    errorClass: event.errorClass === '' ? null : fit(event.errorClass, 64),
    isStream: event.stream,
    attempts: clamp(event.attempts === 0 ? 1 : event.attempts, SMALLINT_MAX),
    clientFormat: CLIENT_FORMAT_NAMES[event.clientFormat] ?? 'unspecified',
    droppedFields: event.droppedFields.length === 0 ? null : fit(event.droppedFields.join(','), 512),
    affinity: AFFINITY_NAMES[event.affinity] ?? null,
    startedAt: startedMs === undefined || startedMs > createdMs ? createdAt : utcDateTime(startedMs),
    createdAt,
    day: createdAt.slice(0, 10),
  };
}

/**
 * The id as stored. The column's collation ignores case and trailing spaces, which JavaScript comparison
 * does not: plain printable-ASCII ids are kept (and compared lowercased, see dedupKey), anything else becomes
 * a digest so that no two distinct ids can collide in MySQL while looking different here.
 */
export function storedRequestId(requestId: string): string {
  if (PLAIN_REQUEST_ID.test(requestId)) return requestId;
  return `~${createHash('sha256').update(requestId).digest('hex').slice(0, 63)}`;
}

/** Equality of stored request ids as the unique index sees it. */
export function dedupKey(storedId: string): string {
  return storedId.toLowerCase();
}

// The rows of a batch finish within a few seconds of each other: the date and second are formatted once per
// second (a small direct-mapped cache), the milliseconds come from a table.
const SECOND_SLOTS = 64;
const slotSeconds = new Float64Array(SECOND_SLOTS).fill(Number.NaN);
const slotPrefixes = Array.from({ length: SECOND_SLOTS }, () => '');
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));

/** UTC `YYYY-MM-DD HH:MM:SS.mmm`, the DATETIME(3) literal. */
export function utcDateTime(ms: number): string {
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  const slot = second & (SECOND_SLOTS - 1);
  if (slotSeconds[slot] !== second) {
    // Throws RangeError for NaN and out-of-range times, as toISOString does.
    const iso = new Date(second * 1000).toISOString();
    slotPrefixes[slot] = `${iso.slice(0, 10)} ${iso.slice(11, 20)}`;
    slotSeconds[slot] = second;
  }
  return slotPrefixes[slot]! + MILLIS[whole - second * 1000]!;
}

function plausibleTime(ms: number, nowMs: number): number | undefined {
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= nowMs + FUTURE_SLACK_MS ? ms : undefined;
}

function rowId(id: number): number | null {
  return id > 0 && id <= INT_MAX ? id : null;
}

function clamp(value: number, max: number): number {
  return Number.isFinite(value) && value > 0 ? Math.min(Math.trunc(value), max) : 0;
}

/** Cuts to `max` characters (code points, as VARCHAR counts them). */
function fit(value: string, max: number): string {
  if (value.length <= max) return value;
  return Array.from(value).slice(0, max).join('');
}
