/**
 * Whether a batch looks up which of its request ids are stored already before inserting. Nearly every batch
 * holds only new events, and the unique index refuses a stored id anyway (the transaction then rolls back and
 * is retried with the lookup), so the lookup is skipped, until an insert hits a stored id: redeliveries come in
 * runs (after a crash, or an ack wait that ran out), so batches look up first until one finds nothing stored.
 */
export class LookupPolicy {
  private expectStored = false;

  /** Look up before inserting? */
  get lookUp(): boolean {
    return this.expectStored;
  }

  /** An insert without a lookup hit a stored request id. */
  insertHitStoredId(): void {
    this.expectStored = true;
  }

  /** A lookup found `stored` of a batch's ids stored already. */
  lookedUp(stored: number): void {
    this.expectStored = stored > 0;
  }
}
