/**
 * Hands items to one consumer in batches: a batch is ready when it is full, when `waitMs` passed since its
 * first item arrived, or when the queue is closed. `push` resolves only while the queue is below its high
 * water mark, which is how a slow database slows the reader down.
 */
export class BatchQueue<T> {
  private items: T[] = [];
  private closed = false;
  private wakeTaker: (() => void) | undefined;
  private wakePushers: (() => void)[] = [];

  constructor(
    private readonly batchMax: number,
    private readonly highWater = batchMax * 2,
  ) {}

  get size(): number {
    return this.items.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Adds an item. While the queue holds `highWater` items or more, returns a promise to wait on before the
   * next push; otherwise nothing, so that the common case costs no promise.
   */
  push(item: T): Promise<void> | undefined {
    this.items.push(item);
    // The taker waits either for a first item or for a full batch; other pushes need not wake it.
    if (this.items.length === 1 || this.items.length >= this.batchMax) this.wakeTaker?.();
    return this.items.length >= this.highWater && !this.closed ? this.belowHighWater() : undefined;
  }

  private async belowHighWater(): Promise<void> {
    while (this.items.length >= this.highWater && !this.closed) {
      await new Promise<void>((resolve) => this.wakePushers.push(resolve));
    }
  }

  /** No more items will come; `take` drains what is left without waiting. */
  close(): void {
    this.closed = true;
    this.wakeTaker?.();
    this.releasePushers();
  }

  /** The next batch (up to batchMax items); empty only once the queue is closed and drained. */
  async take(waitMs: number): Promise<T[]> {
    while (this.items.length === 0 && !this.closed) await this.waitForItems(undefined);
    if (this.items.length < this.batchMax && !this.closed) {
      const deadline = Date.now() + waitMs;
      while (this.items.length < this.batchMax && !this.closed) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        await this.waitForItems(left);
      }
    }
    const batch = this.items.splice(0, this.batchMax);
    if (this.items.length < this.highWater) this.releasePushers();
    return batch;
  }

  private waitForItems(timeoutMs: number | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        if (timer) clearTimeout(timer);
        this.wakeTaker = undefined;
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      this.wakeTaker = done;
    });
  }

  private releasePushers(): void {
    const waiting = this.wakePushers;
    this.wakePushers = [];
    for (const wake of waiting) wake();
  }
}
