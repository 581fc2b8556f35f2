/** Exponential retry delays with interruptible waits, so that shutdown never sits out a long pause. */
export class Backoff {
  private current = 0;
  private readonly sleepers = new Set<() => void>();
  private interrupted = false;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  /** The next delay: minMs, then doubling up to maxMs. */
  next(): number {
    this.current = this.current === 0 ? this.minMs : Math.min(this.current * 2, this.maxMs);
    return this.current;
  }

  /** Back to minMs after a success. */
  reset(): void {
    this.current = 0;
  }

  /** Sleeps for `ms`, or less if interrupt() is called. */
  wait(ms: number): Promise<void> {
    if (this.interrupted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** Ends every current wait and makes later ones return at once. */
  interrupt(): void {
    this.interrupted = true;
    for (const wake of [...this.sleepers]) wake();
  }
}
