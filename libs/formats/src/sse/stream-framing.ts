// How the events of a streamed answer are laid out in the HTTP body. Every client format streams SSE;
// Gemini's streamGenerateContent without `?alt=sse` streams the same events as the elements of one
// JSON array instead. An answer is framed once, by whoever turns its events into bytes.

/** One event of a streamed answer: its JSON (or `[DONE]`) and, for formats that name events, its name. */
export interface StreamEvent {
  data: string;
  event?: string;
}

/** SSE everywhere, or Gemini's JSON array (streamGenerateContent without alt=sse). */
export type StreamFramingName = 'sse' | 'json-array';

/** A way to lay out a stream of events. */
export interface StreamFraming {
  readonly name: StreamFramingName;
  /** The response's content type. */
  readonly contentType: string;
  /** The text of one event; `index` is its place in the stream (0 for the first). */
  event(event: StreamEvent, index: number): string;
  /** The text that ends a stream of `count` events. */
  close(count: number): string;
}

/** Frames one SSE event (`event:` line only when it is not the default). */
export function formatSseEvent(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}

/** Server-Sent Events: `event:`/`data:` lines, a blank line after each event. */
export const SSE_FRAMING: StreamFraming = {
  name: 'sse',
  contentType: 'text/event-stream; charset=utf-8',
  event: (event) => formatSseEvent(event.data, event.event),
  close: () => '',
};

/**
 * One JSON array, an element per event, written as the events come. The separators are Google's own,
 * for clients that split the array text instead of parsing it. Event names have no place here.
 */
export const JSON_ARRAY_FRAMING: StreamFraming = {
  name: 'json-array',
  contentType: 'application/json; charset=utf-8',
  event: (event, index) => (index === 0 ? `[${event.data}` : `\n,\r\n${event.data}`),
  close: (count) => (count === 0 ? '[]' : '\n]'),
};

/** Frames the events of one stream in order; one instance per stream. */
export class EventFramer {
  #count = 0;

  constructor(readonly framing: StreamFraming = SSE_FRAMING) {}

  /** Events written so far. */
  get count(): number {
    return this.#count;
  }

  event(data: string, event?: string): string {
    return this.framing.event(event === undefined ? { data } : { data, event }, this.#count++);
  }

  close(): string {
    return this.framing.close(this.#count);
  }
}

/** The framing of a name. */
export function streamFraming(name: StreamFramingName): StreamFraming {
  return name === 'json-array' ? JSON_ARRAY_FRAMING : SSE_FRAMING;
}
