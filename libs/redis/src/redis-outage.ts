export interface RedisOutageOptions {
  /** While down, one call in this interval goes to Redis as a probe; the others skip it. */
  probeIntervalMs?: number;
  /** The first failure of an outage (log it here: once per outage, not per request). */
  onDown?: (error: unknown) => void;
  /** The first success after an outage, with how long it lasted. */
  onUp?: (downMs: number) => void;
  now?: () => number;
}

/**
 * Whether Redis answers, as seen by one request path that has a fallback: after a failed call the path skips
 * Redis (and so never waits for its command timeout) except for one probe per interval, until a call succeeds.
 */
export class RedisOutage {
  #downSince: number | undefined;
  #probeAt = 0;
  readonly #probeIntervalMs: number;
  readonly #now: () => number;

  constructor(private readonly options: RedisOutageOptions = {}) {
    this.#probeIntervalMs = options.probeIntervalMs ?? 250;
    this.#now = options.now ?? Date.now;
  }

  /** True while an outage lasts. */
  get down(): boolean {
    return this.#downSince !== undefined;
  }

  /** Whether this call should go to Redis: always while it is up, once per probe interval while it is down. */
  shouldTry(): boolean {
    if (this.#downSince === undefined) return true;
    const now = this.#now();
    if (now < this.#probeAt) return false;
    this.#probeAt = now + this.#probeIntervalMs;
    return true;
  }

  succeeded(): void {
    if (this.#downSince === undefined) return;
    const downMs = this.#now() - this.#downSince;
    this.#downSince = undefined;
    this.options.onUp?.(downMs);
  }

  failed(error: unknown): void {
    const now = this.#now();
    this.#probeAt = now + this.#probeIntervalMs;
    if (this.#downSince !== undefined) return;
    this.#downSince = now;
    this.options.onDown?.(error);
  }

  /**
   * Runs `call` unless Redis is being skipped; undefined when skipped. Rejections are recorded and rethrown;
   * resolutions end an outage.
   */
  async run<T>(call: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (!this.shouldTry()) return undefined;
    try {
      const value = await call();
      this.succeeded();
      return { value };
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }
}
