/**
 * Decides which successes go to selector. A success only resets an account's failure streak, so telling
 * selector about every one costs a gRPC call per request for nothing; instead a success is reported when
 * this process saw the account fail since its last report, and otherwise at most once per interval per
 * account and model (which also resets streaks that other replicas started).
 */
export class SuccessReportThrottle {
  private readonly lastReported = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 50_000,
  ) {}

  /** Remembers a failure: the next success of this account and model is reported at once. */
  failed(accountId: number, model: string): void {
    this.lastReported.delete(`${accountId}:${model}`);
  }

  /** True when this success should be reported (and counts it as reported). */
  shouldReport(accountId: number, model: string): boolean {
    if (this.intervalMs <= 0) return true;
    const key = `${accountId}:${model}`;
    const now = this.now();
    const last = this.lastReported.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    if (this.lastReported.size >= this.maxEntries) this.lastReported.clear();
    this.lastReported.set(key, now);
    return true;
  }
}
