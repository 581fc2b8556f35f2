// An incremental Server-Sent Events parser (WHATWG "event stream interpretation"). Upstream bodies
// arrive in arbitrary pieces: a piece may end inside a UTF-8 sequence, inside a line, or between the
// CR and LF of a CRLF (Google frames its events with CRLF), so all state carries across `push` calls.

export interface SseEvent {
  /** The `event:` field; 'message' when absent. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
}

const LINE_END = /[\r\n]/g;

export class SseParser {
  readonly #decoder = new TextDecoder();
  #buffer = '';
  /** The previous piece ended with CR: a LF at the start of the next one belongs to it. */
  #skipLf = false;
  #eventType = '';
  #data: string[] = [];

  /** Feeds bytes; returns the events completed by them. */
  push(chunk: Uint8Array): SseEvent[] {
    return this.#feed(this.#decoder.decode(chunk, { stream: true }));
  }

  /**
   * The body ended cleanly: returns the last event even when its terminating blank line is missing
   * (some OpenAI-compatible servers omit it).
   */
  end(): SseEvent[] {
    const events = this.#feed(this.#decoder.decode());
    if (this.#buffer !== '') {
      this.#line(this.#buffer, events);
      this.#buffer = '';
    }
    this.#line('', events);
    return events;
  }

  #feed(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    if (text === '') return events;
    if (this.#skipLf) {
      this.#skipLf = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    const buffer = this.#buffer === '' ? text : this.#buffer + text;
    let start = 0;
    LINE_END.lastIndex = 0;
    for (let match = LINE_END.exec(buffer); match !== null; match = LINE_END.exec(buffer)) {
      const at = match.index;
      this.#line(buffer.slice(start, at), events);
      start = at + 1;
      if (buffer.charCodeAt(at) === 13) {
        if (start === buffer.length) this.#skipLf = true;
        else if (buffer.charCodeAt(start) === 10) start++;
      }
      LINE_END.lastIndex = start;
    }
    this.#buffer = buffer.slice(start);
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.#data.length > 0) events.push({ event: this.#eventType || 'message', data: this.#data.join('\n') });
      this.#data = [];
      this.#eventType = '';
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" starts a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#eventType = value;
  }
}
