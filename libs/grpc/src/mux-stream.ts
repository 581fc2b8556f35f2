import type { AppError } from '@aigw/errors';
import { MUX_STREAM_WINDOW } from './mux-envelope.js';

interface Reader<T> {
  resolve(result: IteratorResult<T>): void;
  reject(error: AppError): void;
}

/**
 * The caller's side of one streamed multiplexed call: its messages in order, then the end, or the error that
 * ended it (after the messages that came before it). Credit is granted as messages are read, not as they
 * arrive, so a reader that stops reading stops the server after at most MUX_STREAM_WINDOW messages.
 */
export class MuxStream<T> implements AsyncIterable<T> {
  readonly #queue: T[] = [];
  #reader: Reader<T> | undefined;
  #error: AppError | undefined;
  #over = false;
  #read = 0;
  #onOver: ((error: AppError | undefined) => void) | undefined;

  constructor(
    /** Tells the server that `messages` more may come. */
    private readonly grant: (messages: number) => void,
    /** Gives the call up (the server is told to stop). */
    private readonly stop: () => void,
  ) {}

  /** A stream that failed before it started. */
  static failed<T>(error: AppError): MuxStream<T> {
    const stream = new MuxStream<T>(
      () => undefined,
      () => undefined,
    );
    stream.fail(error);
    return stream;
  }

  /** Calls `listener` once when the stream is over: finished, failed or cancelled (with the error, if any). */
  onOver(listener: (error: AppError | undefined) => void): void {
    if (this.#over) listener(this.#error);
    else this.#onOver = listener;
  }

  /** Stops the call; a read waiting for a message fails with CANCELLED. */
  cancel(): void {
    if (!this.#over) this.stop();
  }

  push(message: T): void {
    if (this.#over) return;
    const reader = this.#reader;
    if (reader === undefined) {
      this.#queue.push(message);
      return;
    }
    this.#reader = undefined;
    this.#counted();
    reader.resolve({ value: message, done: false });
  }

  finish(): void {
    if (this.#over) return;
    this.#over = true;
    const reader = this.#reader;
    this.#reader = undefined;
    reader?.resolve({ value: undefined, done: true });
    this.#onOver?.(undefined);
  }

  fail(error: AppError): void {
    if (this.#over) return;
    this.#over = true;
    this.#error = error;
    const reader = this.#reader;
    this.#reader = undefined;
    reader?.reject(error);
    this.#onOver?.(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.#next(),
      return: () => {
        this.cancel();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  #next(): Promise<IteratorResult<T>> {
    if (this.#queue.length > 0) {
      const value = this.#queue.shift() as T;
      this.#counted();
      return Promise.resolve({ value, done: false });
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#over) return Promise.resolve({ value: undefined, done: true });
    return new Promise<IteratorResult<T>>((resolve, reject) => {
      this.#reader = { resolve, reject };
    });
  }

  /** One more message read: credit goes back in batches of half the window. */
  #counted(): void {
    this.#read += 1;
    if (this.#read >= MUX_STREAM_WINDOW / 2 && !this.#over) {
      this.grant(this.#read);
      this.#read = 0;
    }
  }
}
