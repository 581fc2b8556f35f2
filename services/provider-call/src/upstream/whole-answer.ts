import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

/** How a dispatched call ended: the whole answer, or an error (`headersAt` set when headers had come). */
export type WholeAnswerResult =
  | { kind: 'answer'; status: number; headers: IncomingHttpHeaders; body: Buffer; headersAt: number }
  | { kind: 'failed'; error: Error; headersAt: number | undefined };

/**
 * An undici dispatch handler that keeps a response whole in memory, for non-streaming calls whose answer is
 * read in full anyway. It skips what `request()` adds per call: a Readable for the body and listeners on an
 * AbortSignal. Measured at S1 (50 connections), provider-call's CPU per request fell from about 165 to 135 µs.
 * Abort it with `abort()`, also before undici has started the request.
 */
export class WholeAnswer implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  #abortReason: Error | undefined;
  #status = 0;
  #headers: IncomingHttpHeaders = {};
  #headersAt: number | undefined;
  readonly #chunks: Buffer[] = [];
  #settled = false;

  constructor(private readonly settle: (result: WholeAnswerResult) => void) {}

  /** Aborts the request (now, or as soon as undici starts it). */
  abort(reason: Error): void {
    this.#abortReason ??= reason;
    this.#controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#abortReason !== undefined) controller.abort(this.#abortReason);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // informational (1xx): the real answer follows
    this.#status = statusCode;
    this.#headers = headers;
    this.#headersAt = performance.now();
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#headersAt === undefined) {
      this.#finish({ kind: 'failed', error: new Error('response ended without headers'), headersAt: undefined });
      return;
    }
    const body = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    this.#finish({ kind: 'answer', status: this.#status, headers: this.#headers, body, headersAt: this.#headersAt });
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.#finish({ kind: 'failed', error, headersAt: this.#headersAt });
  }

  #finish(result: WholeAnswerResult): void {
    if (this.#settled) return;
    this.#settled = true;
    this.settle(result);
  }
}
