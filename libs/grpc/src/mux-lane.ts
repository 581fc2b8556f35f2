import type { ClientDuplexStream } from '@grpc/grpc-js';
import { AppError } from '@aigw/errors';
import { fromMuxError, MAX_TIMEOUT_MS, type MuxCall, type MuxRequestEnvelope, type MuxResponseEnvelope } from './mux-envelope.js';

/** A call waiting for its answer. */
interface Pending<Res> {
  resolve(response: Res): void;
  reject(error: AppError): void;
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

  constructor(
    readonly stream: ClientDuplexStream<Req, Res>,
    private readonly label: string,
    /** When the client replaces this stream with a fresh one. */
    readonly retireAt: number,
  ) {}

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Sends one call; the promise settles with the answer or an AppError. */
  send(id: number, call: MuxCall<Req>, deadline: number, signal: AbortSignal | undefined): Promise<Res> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.reject(new AppError('DEADLINE_EXCEEDED', `no time left for a call to ${this.label}`));
    return new Promise<Res>((resolve, reject) => {
      const pending: Pending<Res> = { resolve, reject, timer: undefined, signal, onAbort: undefined };
      if (Number.isFinite(remaining)) {
        pending.timer = setTimeout(() => this.#abandon(id, new AppError('DEADLINE_EXCEEDED', `${this.label} did not answer in time`)), remaining);
      }
      if (signal !== undefined) {
        pending.onAbort = () => this.#abandon(id, new AppError('CANCELLED', `call to ${this.label} cancelled`));
        signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      this.#pending.set(id, pending);
      const timeoutMs = Number.isFinite(remaining) ? Math.min(Math.ceil(remaining), MAX_TIMEOUT_MS) : 0;
      this.stream.write({ ...call, id, timeoutMs } as Req);
    });
  }

  /** Settles the call an answer belongs to; answers to calls already given up on are dropped. */
  receive(response: Res): void {
    const pending = this.#take(response.id);
    if (pending === undefined) return;
    this.answered += 1;
    if (response.error !== undefined) pending.reject(fromMuxError(response.error));
    else pending.resolve(response);
    this.endIfRetired();
  }

  /** Half-closes the stream once it is retiring and idle (the server then ends it). */
  endIfRetired(): void {
    if (this.retiring && this.#pending.size === 0 && !this.#closed) {
      this.#closed = true;
      this.stream.end();
    }
  }

  /** The stream is gone: every pending call fails with `error`. */
  failAll(error: AppError): void {
    this.#closed = true;
    for (const id of [...this.#pending.keys()]) this.#take(id)?.reject(error);
  }

  #abandon(id: number, error: AppError): void {
    const pending = this.#take(id);
    if (pending === undefined) return;
    if (!this.#closed) this.stream.write({ id, timeoutMs: 0, cancel: EMPTY_CANCEL } as Req);
    pending.reject(error);
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
