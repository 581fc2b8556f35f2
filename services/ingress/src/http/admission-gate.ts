import { AppError } from '@aigw/errors';

/** Why a request was shed (the `reason` label of aigw_ingress_shed_total). */
export type ShedReason = 'queue_full' | 'queue_timeout';

export interface AdmissionLimits {
  /** Proxied requests (streams until their last event) served at once. */
  maxInFlight: number;
  /** Requests waiting for a slot at once; past it a request is shed at once. */
  maxQueue: number;
  /** Longest wait for a slot; then the request is shed. */
  maxQueueMs: number;
  /** The Retry-After hint of a shed request. */
  retryAfterMs?: number;
  onShed?: (reason: ShedReason) => void;
}

/** Gives a slot back; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  admit: (release: Release) => void;
  reject: (error: AppError) => void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** The answer to a shed request: 503 with Retry-After, in the client's protocol (see client-responses.ts). */
export function overloaded(reason: ShedReason, retryAfterMs: number): AppError {
  return new AppError('UNAVAILABLE', 'the gateway is overloaded; retry shortly', { retryAfterMs, details: { shed: reason } });
}

/**
 * Bounds the proxied requests ingress works on at once. A request past the bound waits in a short FIFO queue
 * for at most maxQueueMs; a full queue or a wait that runs out sheds it with 503 + Retry-After before its body
 * is read, so a burst costs a few bytes per shed connection instead of queueing past the request's deadline and
 * growing the heap with bodies and upstream calls nobody will wait for.
 */
export class AdmissionGate {
  #inFlight = 0;
  readonly #queue: Waiter[] = [];
  readonly #retryAfterMs: number;

  constructor(private readonly limits: AdmissionLimits) {
    this.#retryAfterMs = limits.retryAfterMs ?? 1_000;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /**
   * A slot for one request; rejects with UNAVAILABLE (shed) or CANCELLED (`signal` aborted while waiting).
   * The caller must call the release it gets once the request is done.
   */
  enter(signal?: AbortSignal): Promise<Release> {
    if (this.#inFlight < this.limits.maxInFlight && this.#queue.length === 0) return Promise.resolve(this.#take());
    if (this.#queue.length >= this.limits.maxQueue || this.limits.maxQueueMs === 0) return Promise.reject(this.#shed('queue_full'));
    if (signal?.aborted) return Promise.reject(new AppError('CANCELLED', 'client closed the request'));
    return new Promise<Release>((admit, reject) => {
      const waiter: Waiter = {
        admit,
        reject,
        signal,
        timer: setTimeout(() => {
          this.#leave(waiter);
          reject(this.#shed('queue_timeout'));
        }, this.limits.maxQueueMs),
        onAbort: () => {
          this.#leave(waiter);
          reject(new AppError('CANCELLED', 'client closed the request'));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #take(): Release {
    this.#inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      this.#admitNext();
    };
  }

  #admitNext(): void {
    while (this.#inFlight < this.limits.maxInFlight) {
      const next = this.#queue.shift();
      if (next === undefined) return;
      this.#forget(next);
      next.admit(this.#take());
    }
  }

  #leave(waiter: Waiter): void {
    const index = this.#queue.indexOf(waiter);
    if (index >= 0) this.#queue.splice(index, 1);
    this.#forget(waiter);
  }

  #forget(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  #shed(reason: ShedReason): AppError {
    this.limits.onShed?.(reason);
    return overloaded(reason, this.#retryAfterMs);
  }
}

/** No bound at all (tests that build handlers without one). */
export const UNBOUNDED_ADMISSION = new AdmissionGate({ maxInFlight: Number.POSITIVE_INFINITY, maxQueue: 0, maxQueueMs: 0 });
