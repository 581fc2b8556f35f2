import type { ClientDuplexStream, StatusObject } from '@grpc/grpc-js';
import { AppError } from '@aigw/errors';
import type { MuxBatch, MuxCall, MuxRequestEnvelope, MuxResponseEnvelope } from './mux-envelope.js';
import { MuxLane } from './mux-lane.js';
import { MuxStream } from './mux-stream.js';
import { recordClientCall } from './call-metrics.js';
import { clientSpan } from './tracing.js';

export interface MuxClientOptions<Req, Res> {
  /** Names the backend in error messages, e.g. "selector". */
  label: string;
  /** Opens one more stream (a new call on the channel: round robin puts it on the next replica). */
  open: () => ClientDuplexStream<MuxBatch<Req>, MuxBatch<Res>>;
  /** Streams kept open (default 8), so that round robin spreads the calls over several replicas. */
  streams?: number;
  /**
   * A stream is replaced after about this long (default 15 s, ±20 % so that replacements spread out):
   * replicas that appeared or came back since it opened get their share, and a skewed start (every stream
   * opened before the channel was ready lands on the first replica that was) evens out.
   */
  maxStreamAgeMs?: number;
  /**
   * Reconnect delay after a stream failed without ever answering: doubles from min to max (default 50–250 ms).
   * While the backend is down a new stream fails at once and locally (the channel is in TRANSIENT_FAILURE), so
   * retrying often is cheap, and a backend that comes back gets its streams within a quarter second of the
   * channel reconnecting.
   */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Told about every stream that ended with an error (for a log line). */
  onStreamError?: (error: AppError) => void;
}

export interface MuxCallOptions {
  /** Aborting cancels the call on the server too. */
  signal?: AbortSignal;
  /**
   * The call may run twice (it changes nothing, or nothing that matters): when its stream breaks or the
   * server is shutting down it is sent once more, on another stream.
   */
  idempotent?: boolean;
}

/**
 * Many calls over a few long-lived bidirectional streams, instead of one HTTP/2 stream per call: ids match
 * answers to calls, deadlines and cancellation travel in-band. A broken stream fails its pending calls
 * with UNAVAILABLE (the caller fails over) and is reopened, with backoff while the backend is down.
 */
export class MuxClient<Req extends MuxRequestEnvelope, Res extends MuxResponseEnvelope> {
  /** The stream taking new calls in each slot (undefined while it reconnects). */
  readonly #lanes: (MuxLane<Req, Res> | undefined)[];
  /** Every stream not yet ended, retiring ones included. */
  readonly #live = new Set<MuxLane<Req, Res>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #maxAgeMs: number;
  #nextId = 0;
  #turn = 0;
  #backoffMs = 0;
  #closed = false;

  constructor(private readonly options: MuxClientOptions<Req, Res>) {
    this.#maxAgeMs = options.maxStreamAgeMs ?? 15_000;
    this.#lanes = Array.from({ length: Math.max(1, options.streams ?? 8) }, () => undefined);
    for (let slot = 0; slot < this.#lanes.length; slot++) this.#open(slot);
  }

  /** Sends one call (the request without id and timeout) and resolves with the whole response message. */
  call(call: MuxCall<Req>, deadline: number, options: MuxCallOptions = {}): Promise<Res> {
    const startedAt = performance.now();
    const name = Object.entries(call as Record<string, unknown>).find(([, value]) => value !== undefined)?.[0] ?? 'unknown';
    const target = `${this.options.label}.${name}`;
    const span = clientSpan(this.options.label, name);
    const traced = (span.traceparent === '' ? call : { ...call, traceparent: span.traceparent }) as MuxCall<Req>;
    const sent = this.#send(traced, deadline, options.signal);
    const answered = options.idempotent === true ? sent.catch((error: unknown) => this.#again(traced, deadline, options, error, 1)) : sent;
    answered.then(
      () => {
        recordClientCall(target, startedAt);
        span.end();
      },
      (error: unknown) => {
        recordClientCall(target, startedAt, error);
        span.end(error);
      },
    );
    return answered;
  }

  /**
   * Sends one streamed call and returns its messages as they come (see MuxLane.openStream). It is never sent
   * twice: a stream that breaks fails with UNAVAILABLE, and what to do then is the caller's choice.
   */
  stream(call: MuxCall<Req>, deadline: number, options: Pick<MuxCallOptions, 'signal'> = {}): MuxStream<Res> {
    const startedAt = performance.now();
    const name = Object.entries(call as Record<string, unknown>).find(([, value]) => value !== undefined)?.[0] ?? 'unknown';
    const target = `${this.options.label}.${name}`;
    const span = clientSpan(this.options.label, name);
    const lane = this.#laneFor(options.signal);
    if (lane instanceof AppError) {
      recordClientCall(target, startedAt, lane);
      span.end(lane);
      return MuxStream.failed(lane);
    }
    const traced = (span.traceparent === '' ? call : { ...call, traceparent: span.traceparent }) as MuxCall<Req>;
    const stream = lane.openStream(this.#id(), traced, deadline, options.signal);
    // Counted, like a single-answer call, when it is over: its time is the whole stream's.
    stream.onOver((error) => {
      recordClientCall(target, startedAt, error);
      span.end(error);
    });
    return stream;
  }

  /**
   * Sends an idempotent call once more after UNAVAILABLE. A connection that dies takes several streams with it
   * and their ends arrive one by one, so the call may land on another dying stream first: it gets a try per stream.
   */
  #again(call: MuxCall<Req>, deadline: number, options: MuxCallOptions, error: unknown, attempt: number): Promise<Res> {
    const retry =
      error instanceof AppError &&
      error.code === 'UNAVAILABLE' &&
      attempt <= this.#lanes.length &&
      options.signal?.aborted !== true &&
      this.#lanes.some((lane) => lane !== undefined);
    if (!retry) return Promise.reject(error);
    return this.#send(call, deadline, options.signal).catch((next: unknown) => this.#again(call, deadline, options, next, attempt + 1));
  }

  /** Calls in flight over every stream. */
  get inFlight(): number {
    let sum = 0;
    for (const lane of this.#live) sum += lane.inFlight;
    return sum;
  }

  /** Stops reconnecting and half-closes every stream once its pending calls are settled. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const lane of this.#live) {
      lane.retiring = true;
      lane.endIfRetired();
    }
  }

  #send(call: MuxCall<Req>, deadline: number, signal: AbortSignal | undefined): Promise<Res> {
    const lane = this.#laneFor(signal);
    if (lane instanceof AppError) return Promise.reject(lane);
    return lane.send(this.#id(), call, deadline, signal);
  }

  /** The stream the next call goes on, or why it cannot be sent. */
  #laneFor(signal: AbortSignal | undefined): MuxLane<Req, Res> | AppError {
    if (signal?.aborted === true) return new AppError('CANCELLED', `call to ${this.options.label} cancelled`);
    return this.#pick() ?? new AppError('UNAVAILABLE', `${this.options.label} is unavailable (no open stream)`);
  }

  #id(): number {
    this.#nextId = (this.#nextId + 1) >>> 0;
    return this.#nextId;
  }

  /** The next open stream in turn, replacing one that has grown too old. */
  #pick(): MuxLane<Req, Res> | undefined {
    if (this.#closed) return undefined;
    const count = this.#lanes.length;
    for (let tries = 0; tries < count; tries++) {
      const slot = this.#turn++ % count;
      const lane = this.#lanes[slot];
      if (lane === undefined) continue;
      if (Date.now() < lane.retireAt) return lane;
      lane.retiring = true;
      lane.endIfRetired();
      return this.#open(slot);
    }
    return undefined;
  }

  #open(slot: number): MuxLane<Req, Res> {
    const lane = new MuxLane<Req, Res>(this.options.open(), this.options.label, Date.now() + this.#maxAgeMs * (0.8 + Math.random() * 0.4));
    this.#lanes[slot] = lane;
    this.#live.add(lane);
    lane.stream.on('data', (batch: MuxBatch<Res>) => {
      this.#backoffMs = 0;
      for (const response of batch.messages) lane.receive(response);
    });
    // 'status' comes once, however the stream ended; 'error' repeats it for failures and must be heard.
    lane.stream.on('error', () => undefined);
    lane.stream.on('status', (status: StatusObject) => this.#ended(slot, lane, status));
    return lane;
  }

  #ended(slot: number, lane: MuxLane<Req, Res>, status: StatusObject): void {
    const failed = status.code !== 0;
    if (failed) this.options.onStreamError?.(new AppError('UNAVAILABLE', `stream to ${this.options.label} broke: ${status.details}`));
    lane.failAll(new AppError('UNAVAILABLE', `stream to ${this.options.label} closed while the call was in flight`));
    this.#live.delete(lane);
    if (this.#lanes[slot] !== lane) return; // retired and already replaced
    this.#lanes[slot] = undefined;
    if (this.#closed) return;
    // A stream that served calls and then ended (a server draining) is replaced at once; one that never
    // answered (backend down, refused) waits, longer each time.
    const min = this.options.backoffMinMs ?? 50;
    const max = this.options.backoffMaxMs ?? 250;
    let delay = 0;
    if (lane.answered === 0) {
      this.#backoffMs = Math.min(max, Math.max(min, this.#backoffMs * 2));
      delay = this.#backoffMs * (0.75 + Math.random() * 0.5);
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed && this.#lanes[slot] === undefined) this.#open(slot);
    }, delay);
    timer.unref();
    this.#timers.add(timer);
  }
}
