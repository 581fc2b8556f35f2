import type { MuxBatch } from './mux-envelope.js';

/** The side of a gRPC stream that a MuxWriter writes to. */
export interface BatchSink<T> {
  write(batch: MuxBatch<T>): unknown;
}

/**
 * Sends a multiplexed stream's messages, several to a gRPC message. The first message of a turn of the event
 * loop goes out at once (a lone call waits for nothing); the ones that follow in the same turn are held and
 * leave together when the turn ends (setImmediate). Every gRPC message costs both sides about as much CPU as
 * a whole call's work, so under load this is most of the framing's cost saved, at no latency for a lone call.
 */
export class MuxWriter<T> {
  /** Messages held for the end of this turn; undefined while nothing has been written in this turn. */
  #held: T[] | undefined;

  /** `open` tells whether the stream still takes writes (held messages for a stream that went away are dropped). */
  constructor(
    private readonly sink: BatchSink<T>,
    private readonly open: () => boolean,
  ) {}

  write(message: T): void {
    if (this.#held !== undefined) {
      this.#held.push(message);
      return;
    }
    this.sink.write({ messages: [message] });
    this.#held = [];
    setImmediate(this.#turnEnded);
  }

  /** Sends what is held now (before the stream is ended, say). */
  flush(): void {
    const held = this.#held;
    if (held === undefined || held.length === 0) return;
    this.#held = [];
    if (this.open()) this.sink.write({ messages: held });
  }

  readonly #turnEnded = (): void => {
    this.flush();
    this.#held = undefined;
  };
}
