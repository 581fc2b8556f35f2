import { MUX_STREAM_WINDOW } from './mux-envelope.js';

/**
 * The server's side of a streamed call's flow control: how many more messages the caller is ready for.
 * A write waits while none are left, until the caller grants more or the call is over.
 */
export class StreamCredit {
  #left = MUX_STREAM_WINDOW;
  #waiting: (() => void) | undefined;
  #over = false;

  /** Resolves when one message may be sent (at once while credit is left), or once the call is over. */
  take(): Promise<void> | undefined {
    if (this.#over) return undefined;
    if (this.#left > 0) {
      this.#left -= 1;
      return undefined;
    }
    return new Promise<void>((resolve) => {
      this.#waiting = resolve;
    }).then(() => this.take());
  }

  grant(messages: number): void {
    this.#left += messages;
    this.#wake();
  }

  /** The call is over (cancelled, or its stream gone): a waiting write goes on, and will be dropped. */
  end(): void {
    this.#over = true;
    this.#wake();
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }
}
