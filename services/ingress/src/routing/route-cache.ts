import { AppError } from '@aigw/errors';
import { RouteTable, type ListedModel, type ResolvedRoute, type RouteRule } from './route-table.js';

/** Loads the active routes (of active providers). */
export type RouteLoader = () => Promise<RouteRule[]>;

/**
 * The routing table in memory, replaced as a whole on refresh (config change `route`/`provider`/`account`,
 * and a timer as a safety net). A failed refresh keeps the previous table.
 */
export class RouteCache {
  private table = new RouteTable([]);
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private loadedOnce = false;

  constructor(
    private readonly load: RouteLoader,
    private readonly onRefreshError: (error: unknown) => void,
  ) {}

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
    this.refreshing = this.load().then(
      (rules) => {
        this.table = new RouteTable(rules);
        this.loadedOnce = true;
        this.refreshing = undefined;
      },
      (error: unknown) => {
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

  /** The route for a client model; MODEL_NOT_FOUND when none matches. */
  resolve(model: string): ResolvedRoute {
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
