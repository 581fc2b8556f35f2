import { AppError } from '@aigw/errors';

/**
 * The request-body bytes ingress holds at once, across all requests. Each body costs its bytes several
 * times over while it is parsed and forwarded, and the heap is capped (tools/dev/src/node-flags.ts), so a
 * burst of large bodies is refused with 503 and Retry-After instead of exhausting it. Bytes are taken as
 * a body arrives (all of a declared Content-Length at once) and given back when its response closes.
 */
export class BodyBudget {
  #used = 0;

  constructor(readonly capacity: number) {}

  /** Bytes currently held. */
  get used(): number {
    return this.#used;
  }

  /** Takes `bytes` when they fit; false (nothing taken) when they do not. */
  tryTake(bytes: number): boolean {
    if (this.#used + bytes > this.capacity) return false;
    this.#used += bytes;
    return true;
  }

  /** Gives back bytes taken earlier. */
  give(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}

/** The answer to a body that does not fit: 503 with a hint to retry shortly. */
export function budgetExhausted(): AppError {
  return new AppError('UNAVAILABLE', 'the gateway is holding too many request bytes right now; retry shortly', { retryAfterMs: 1_000 });
}
