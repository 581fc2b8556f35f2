import type { MuxBatch } from './mux-envelope.js';

/** The side of a gRPC stream that a MuxWriter writes to. */
export interface BatchSink<T> {
  write(batch: MuxBatch<T>): unknown;
}

/**
 * Sends a multiplexed stream's messages, several to a gRPC message. What one callback writes (with the
 * promise continuations it sets off) leaves together right after it (process.nextTick): the socket write that
 * HTTP/2 makes at the end of the event-loop turn is not delayed, and a reply and what follows it (`start` and a
 * stream's first chunk, say) wake the other side once. When a batch has already left in this turn, what later
 * callbacks write waits for the turn's end (setImmediate) and leaves as one more message: under load, every
 * gRPC message saved is CPU that both sides do not spend on framing.
 */
export class MuxWriter<T> {
  /** Messages not yet sent; the first one held schedules their flush. */
  #held: T[] = [];
  /** A batch left in this turn of the event loop: what comes next waits for the turn's end. */
  #spent = false;

  /** `open` tells whether the stream still takes writes (held messages for a stream that went away are dropped). */
  constructor(
    private readonly sink: BatchSink<T>,
    private readonly open: () => boolean,
  ) {}

  write(message: T): void {
    this.#held.push(message);
    if (this.#held.length === 1 && !this.#spent) process.nextTick(this.#soon);
  }

  /** Sends what is held now (before the stream is ended, say). */
  flush(): void {
    if (this.#held.length === 0) return;
    const messages = this.#held;
    this.#held = [];
    if (this.open()) this.sink.write({ messages });
  }

  readonly #soon = (): void => {
    if (this.#spent) return; // an earlier flush already sent this and set up the turn's end
    this.flush();
    this.#spent = true;
    setImmediate(this.#turnEnded);
  };

  readonly #turnEnded = (): void => {
    this.#spent = false;
    this.flush();
  };
}
