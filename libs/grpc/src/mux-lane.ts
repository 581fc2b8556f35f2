import type { ClientDuplexStream } from '@grpc/grpc-js';
import { AppError } from '@aigw/errors';
import { fromMuxError, MAX_TIMEOUT_MS, type MuxBatch, type MuxCall, type MuxRequestEnvelope, type MuxResponseEnvelope } from './mux-envelope.js';
import { MuxStream } from './mux-stream.js';
import { MuxWriter } from './mux-writer.js';

/** A call waiting for its answer (a unary call), or for its next messages (a streamed one). */
interface Pending<Res> {
  /** Takes one response for the call; true when it was the call's last. */
  receive(response: Res): boolean;
  fail(error: AppError): void;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const EMPTY_CANCEL = {};

/**
 * One long-lived stream and the calls in flight on it. Calls are matched to answers by id; a call whose
 * deadline passes or whose signal aborts is settled at once and the server is told to stop (`cancel`).
 */
export class MuxLane<Req extends MuxRequestEnvelope, Res extends MuxResponseEnvelope> {
  readonly #pending = new Map<number, Pending<Res>>();
  /** Answers received: a stream that answered was healthy, so losing it is not a reason to back off. */
  answered = 0;
  /** Takes no new calls; ends once the last pending call is settled. */
  retiring = false;
  #closed = false;
  readonly #writer: MuxWriter<Req>;

  constructor(
    readonly stream: ClientDuplexStream<MuxBatch<Req>, MuxBatch<Res>>,
    private readonly label: string,
    /** When the client replaces this stream with a fresh one. */
    readonly retireAt: number,
  ) {
    this.#writer = new MuxWriter(stream, () => !this.#closed);
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Sends one call; the promise settles with the answer or an AppError. */
  send(id: number, call: MuxCall<Req>, deadline: number, signal: AbortSignal | undefined): Promise<Res> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.reject(this.#late());
    return new Promise<Res>((resolve, reject) => {
      const receive = (response: Res) => {
        if (response.error !== undefined) reject(fromMuxError(response.error));
        else resolve(response);
        return true;
      };
      this.#start(id, call, remaining, signal, { receive, fail: reject, timer: undefined, signal, onAbort: undefined });
    });
  }

  /**
   * Sends one streamed call: its messages, in order, until the server's `end`; the deadline covers the whole
   * stream. Reading is what grants the server credit for more.
   */
  openStream(id: number, call: MuxCall<Req>, deadline: number, signal: AbortSignal | undefined): MuxStream<Res> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return MuxStream.failed(this.#late());
    const stream = new MuxStream<Res>(
      (messages) => {
        if (!this.#closed && this.#pending.has(id)) this.#writer.write({ id, timeoutMs: 0, credit: { messages } } as Req);
      },
      () => this.#abandon(id, new AppError('CANCELLED', `call to ${this.label} cancelled`)),
    );
    const receive = (response: Res) => {
      if (response.error !== undefined) stream.fail(fromMuxError(response.error));
      else if (response.end !== undefined) stream.finish();
      else {
        stream.push(response);
        return false;
      }
      return true;
    };
    this.#start(id, call, remaining, signal, { receive, fail: (error) => stream.fail(error), timer: undefined, signal, onAbort: undefined });
    return stream;
  }

  /** Hands a response to the call it belongs to; responses to calls already given up on are dropped. */
  receive(response: Res): void {
    const pending = this.#pending.get(response.id);
    if (pending === undefined) return;
    this.answered += 1;
    if (!pending.receive(response)) return;
    this.#take(response.id);
    this.endIfRetired();
  }

  /** Half-closes the stream once it is retiring and idle (the server then ends it). */
  endIfRetired(): void {
    if (this.retiring && this.#pending.size === 0 && !this.#closed) {
      this.#writer.flush();
      this.#closed = true;
      this.stream.end();
    }
  }

  /** The stream is gone: every pending call fails with `error`. */
  failAll(error: AppError): void {
    this.#closed = true;
    for (const id of [...this.#pending.keys()]) this.#take(id)?.fail(error);
  }

  #start(id: number, call: MuxCall<Req>, remaining: number, signal: AbortSignal | undefined, pending: Pending<Res>): void {
    if (Number.isFinite(remaining)) {
      pending.timer = setTimeout(() => this.#abandon(id, new AppError('DEADLINE_EXCEEDED', `${this.label} did not answer in time`)), remaining);
    }
    if (signal !== undefined) {
      pending.onAbort = () => this.#abandon(id, new AppError('CANCELLED', `call to ${this.label} cancelled`));
      signal.addEventListener('abort', pending.onAbort, { once: true });
    }
    this.#pending.set(id, pending);
    const timeoutMs = Number.isFinite(remaining) ? Math.min(Math.ceil(remaining), MAX_TIMEOUT_MS) : 0;
    this.#writer.write({ ...call, id, timeoutMs } as Req);
  }

  #late(): AppError {
    return new AppError('DEADLINE_EXCEEDED', `no time left for a call to ${this.label}`);
  }

  #abandon(id: number, error: AppError): void {
    const pending = this.#take(id);
    if (pending === undefined) return;
    if (!this.#closed) this.#writer.write({ id, timeoutMs: 0, cancel: EMPTY_CANCEL } as Req);
    pending.fail(error);
    this.endIfRetired();
  }

  #take(id: number): Pending<Res> | undefined {
    const pending = this.#pending.get(id);
    if (pending === undefined) return undefined;
    this.#pending.delete(id);
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    if (pending.onAbort !== undefined) pending.signal?.removeEventListener('abort', pending.onAbort);
    return pending;
  }
}
