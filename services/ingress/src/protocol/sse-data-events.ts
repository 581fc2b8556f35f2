import { StringDecoder } from 'node:string_decoder';

const LINE_END = /[\r\n]/g;

/**
 * Reads the data payloads of an SSE byte stream however it is split into chunks (multi-byte characters
 * and CRLF pairs included): `data:` lines of one event joined by newlines; comments, `event:` and other
 * fields are ignored.
 */
export class SseDataEvents {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private data: string[] = [];

  /** The payloads of every event that `chunk` completes. */
  push(chunk: Buffer): string[] {
    this.buffer += this.decoder.write(chunk);
    const payloads: string[] = [];
    let start = 0;
    LINE_END.lastIndex = 0;
    for (let match = LINE_END.exec(this.buffer); match; match = LINE_END.exec(this.buffer)) {
      const end = match.index;
      // A \r at the very end may be the first half of \r\n: decide once the next byte is here.
      if (this.buffer[end] === '\r' && end + 1 === this.buffer.length) break;
      this.line(this.buffer.slice(start, end), payloads);
      start = this.buffer[end] === '\r' && this.buffer[end + 1] === '\n' ? end + 2 : end + 1;
      LINE_END.lastIndex = start;
    }
    this.buffer = this.buffer.slice(start);
    return payloads;
  }

  /** The payload of a last event that the stream ended without a blank line (kept: it came from our own backend). */
  end(): string[] {
    const payloads: string[] = [];
    const rest = this.buffer + this.decoder.end();
    this.buffer = '';
    for (const line of rest.split(/\r\n|\r|\n/)) this.line(line, payloads);
    this.line('', payloads);
    return payloads;
  }

  private line(line: string, payloads: string[]): void {
    if (line === '') {
      if (this.data.length > 0) payloads.push(this.data.join('\n'));
      this.data = [];
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    const value = colon < 0 ? '' : line.slice(colon + 1);
    this.data.push(value.startsWith(' ') ? value.slice(1) : value);
  }
}
