import { AppError } from '@aigw/errors';
import { withinTime } from '../within-time.js';
import { RouteTable, type ListedModel, type ResolvedRoute, type RouteRule } from './route-table.js';

/** Loads the active routes (of active providers). */
export type RouteLoader = () => Promise<RouteRule[]>;

export interface RouteCacheOptions {
  /** Cap on one load (default 10 s): a load lost with its database connection must not block every later refresh. */
  timeoutMs?: number;
  /** How long after the last successful load the table is still used while loads fail (default 10 min); then 503. */
  staleIfErrorMs?: number;
  /** Told each time a request is routed by a table that the failing database could not refresh. */
  onStaleServed?: () => void;
  now?: () => number;
}

/**
 * The routing table in memory, replaced as a whole on refresh (config change `route`/`provider`/`account`,
 * and a timer as a safety net). A failed refresh keeps the previous table, for staleIfErrorMs at most.
 */
export class RouteCache {
  private table = new RouteTable([]);
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private loadedOnce = false;
  private loadedAt = 0;
  /** The last refresh failed: the table in use may be out of date. */
  private failing = false;
  private readonly now: () => number;

  constructor(
    private readonly load: RouteLoader,
    private readonly onRefreshError: (error: unknown) => void,
    private readonly options: RouteCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** True once a table has been loaded; readiness waits for it. */
  get loaded(): boolean {
    return this.loadedOnce;
  }

  /**
   * Reloads now. Calls during a load share one more load after it (it sees every change made so far), so
   * a burst of change events costs two loads, not one per event.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.queued ??= this.refreshing
        .catch(() => undefined)
        .then(() => {
          this.queued = undefined;
          return this.refresh();
        });
      return this.queued;
    }
    const load = withinTime(this.load(), this.options.timeoutMs ?? 10_000, () => new Error('loading the routing table timed out'));
    this.refreshing = load.then(
      (rules) => {
        this.table = new RouteTable(rules);
        this.loadedOnce = true;
        this.loadedAt = this.now();
        this.failing = false;
        this.refreshing = undefined;
      },
      (error: unknown) => {
        this.failing = true;
        this.refreshing = undefined;
        throw error;
      },
    );
    return this.refreshing;
  }

  /** Refreshes every `intervalMs` until stop(). */
  startTimer(intervalMs: number): void {
    this.timer = setInterval(() => this.refresh().catch(this.onRefreshError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The route for a client model; MODEL_NOT_FOUND when none matches, UNAVAILABLE when the table is too old. */
  resolve(model: string): ResolvedRoute {
    this.assertUsable();
    const route = this.table.resolve(model);
    if (!route) {
      throw new AppError('MODEL_NOT_FOUND', `The model \`${model}\` does not exist or is not routed by this gateway`, {
        details: { param: 'model' },
      });
    }
    return route;
  }

  /** The route for a model if one exists (used for fallback models). */
  tryResolve(model: string): ResolvedRoute | undefined {
    return this.table.resolve(model);
  }

  /** The table may route while it is fresh, or stale within staleIfErrorMs (counted). */
  private assertUsable(): void {
    if (!this.failing || !this.loadedOnce) return;
    if (this.now() - this.loadedAt > (this.options.staleIfErrorMs ?? 10 * 60_000)) {
      throw new AppError('UNAVAILABLE', 'the routing table cannot be loaded right now; try again shortly', { retryAfterMs: 5_000 });
    }
    this.options.onStaleServed?.();
  }

  /** The current routing table (an immutable snapshot). */
  get snapshot(): RouteTable {
    return this.table;
  }

  /** The models to list (see RouteTable.listModels for the rule). */
  listModels(): ListedModel[] {
    return this.table.listModels();
  }

  /** One model for a model-detail endpoint: any name routed to a provider with an active account. */
  describeModel(model: string): ListedModel | undefined {
    return this.table.describe(model);
  }
}
