import type { ResponseFormat } from './structured-answer.js';

// Recording must stay cheap: the benchmark sends millions of requests, so the log is a fixed-size
// ring that overwrites the oldest entry instead of growing.

/** Wire formats the upstream emulator speaks. */
export type WireFormatName = 'openai' | 'responses' | 'antigravity' | 'anthropic' | 'gemini';

export interface RecordedRequest {
  /** Arrival time, ms since the epoch. */
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  format: WireFormatName;
  model: string;
  /** Bearer token or API key as sent; '' when none was. */
  credential: string;
  /** Name of the forward proxy the request came through (header x-emu-via-proxy). */
  viaProxy?: string;
  stream: boolean;
  /** Status the emulator answered with. */
  status: number;
  /**
   * The request's headers beyond the transport ones every request has (host, content-type, …): credentials
   * and behaviour headers such as anthropic-beta, so tests see what reached the upstream and what did not.
   */
  headers?: Record<string, string>;
  /** Structured output the request asked for (the schema as the emulator read it). */
  responseFormat?: ResponseFormat;
}

/** Headers every HTTP request has; left out of RecordedRequest.headers to keep the ring small. */
const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-type',
  'content-length',
  'transfer-encoding',
  'accept',
  'accept-encoding',
  'accept-language',
  'sec-fetch-mode',
  'user-agent',
]);

/** The headers worth recording (see RecordedRequest.headers); undefined when there are none. */
export function notableHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || TRANSPORT_HEADERS.has(name)) continue;
    out ??= {};
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export const DEFAULT_RECORD_LIMIT = 100_000;

export class RequestLog {
  readonly #entries: Array<RecordedRequest | undefined>;
  #next = 0;
  #size = 0;

  constructor(readonly capacity: number = DEFAULT_RECORD_LIMIT) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('record capacity must be a positive integer');
    this.#entries = new Array<RecordedRequest | undefined>(capacity);
  }

  add(entry: RecordedRequest): void {
    this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
  }

  /** Oldest first. */
  list(): RecordedRequest[] {
    const out: RecordedRequest[] = [];
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) {
      const entry = this.#entries[(start + i) % this.capacity];
      if (entry !== undefined) out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.#entries.fill(undefined);
    this.#next = 0;
    this.#size = 0;
  }
}
