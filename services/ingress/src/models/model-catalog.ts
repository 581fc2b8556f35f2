import type { Logger } from '@aigw/logger';
import type { RoutedProvider } from '../routing/route-table.js';
import type { DiscoveredLists, DiscoveredModel } from './model-listing.js';

/** Fetches one provider's models from its upstream (through one of its accounts), by `deadline`. */
export type DiscoverModels = (provider: RoutedProvider, deadline: number) => Promise<DiscoveredModel[]>;

export interface ModelCatalogOptions {
  discover: DiscoverModels;
  /** The providers whose models can be listed now (routed to, with an active account). */
  providers: () => RoutedProvider[];
  /** A list older than this is fetched again (by the timer, or in the background when a client asks). */
  refreshMs: number;
  /** How long a list is still served after its last successful fetch while fetches fail. */
  staleMaxMs: number;
  /** How long a client's list waits for providers never fetched yet; after it, it answers without them. */
  firstWaitMs: number;
  /** Budget of one provider's fetch. */
  fetchTimeoutMs: number;
  /** Pause before fetching again after a failure. */
  retryMs: number;
  logger: Logger;
  now?: () => number;
}

/** Least time between fetches for a provider that has no list yet (a client asking in a loop must not flood it). */
const FIRST_RETRY_MS = 1_000;

interface Entry {
  providerName: string;
  models: ReadonlyMap<string, DiscoveredModel> | undefined;
  /** When `models` was fetched. */
  fetchedAt: number;
  /** When the last fetch ended (success or failure). */
  attemptedAt: number;
  inFlight: Promise<void> | undefined;
  /** Fetches started; an answer older than the one already applied is dropped. */
  started: number;
  applied: number;
}

/**
 * Each provider's discovered model list, cached per provider: fetched when a client first asks for a model
 * list, then refreshed every `refreshMs` and on configuration changes, served stale for at most `staleMaxMs`
 * while fetches fail. A client never waits on an upstream beyond `firstWaitMs`, and only for a provider that
 * has no list yet.
 */
export class ModelCatalog {
  private readonly entries = new Map<number, Entry>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  /** Set by the first client asking: until then nothing is fetched, so a gateway nobody asks touches no upstream. */
  private inUse = false;

  constructor(private readonly options: ModelCatalogOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The lists to answer a client with. Providers with a list answer from it at once (a due refresh runs in the
   * background); for a provider without one yet, a fetch is started or joined and waited for up to `firstWaitMs`.
   */
  async lists(): Promise<DiscoveredLists> {
    this.inUse = true;
    const providers = this.options.providers();
    const firsts: Promise<void>[] = [];
    for (const provider of providers) {
      const entry = this.entries.get(provider.providerId);
      const fetch = entry === undefined || this.isDue(entry) ? this.fetch(provider) : entry.inFlight;
      if (fetch !== undefined && entry?.models === undefined) firsts.push(fetch);
    }
    if (firsts.length > 0) await waitAtMost(Promise.all(firsts), this.options.firstWaitMs);
    return this.current(providers);
  }

  /** What is cached now, without fetching (for single-model lookups). */
  cached(): DiscoveredLists {
    return this.current(this.options.providers());
  }

  /**
   * Fetches again: every provider when `force` (a provider or account changed), otherwise only those never
   * fetched or due (a route changed, or the timer). Entries of providers no longer listable are dropped.
   * Does nothing before the first client asked for a list.
   */
  refresh(force = false): Promise<void> {
    if (!this.inUse) return Promise.resolve();
    const providers = this.options.providers();
    const keep = new Set(providers.map((p) => p.providerId));
    for (const id of this.entries.keys()) if (!keep.has(id)) this.entries.delete(id);
    const fetches = providers.flatMap((provider) => {
      const entry = this.entries.get(provider.providerId);
      return force || entry === undefined || this.isDue(entry) ? [this.fetch(provider, force)] : [];
    });
    return Promise.all(fetches).then(() => undefined);
  }

  /** Per provider fetched at least once: the age of the list served (none once expired) and whether the last fetch failed. */
  status(): Array<{ providerName: string; ageMs: number | undefined; failing: boolean }> {
    const now = this.now();
    return [...this.entries.values()].map((entry) => {
      const served = entry.models !== undefined && now - entry.fetchedAt < this.options.staleMaxMs;
      return { providerName: entry.providerName, ageMs: served ? now - entry.fetchedAt : undefined, failing: entry.attemptedAt > entry.fetchedAt };
    });
  }

  startTimer(intervalMs: number): void {
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private isDue(entry: Entry): boolean {
    if (entry.inFlight !== undefined) return false;
    const now = this.now();
    // Without a list, the next client (or tick) tries again soon: listing nothing is what is being fixed.
    if (entry.models === undefined) return now - entry.attemptedAt >= Math.min(FIRST_RETRY_MS, this.options.retryMs);
    if (entry.attemptedAt > entry.fetchedAt) return now - entry.attemptedAt >= this.options.retryMs;
    return now - entry.fetchedAt >= this.options.refreshMs;
  }

  /** One provider's fetch, shared by everyone who asks while it runs; never rejects. */
  private fetch(provider: RoutedProvider, restart = false): Promise<void> {
    let entry = this.entries.get(provider.providerId);
    if (entry === undefined) {
      entry = { providerName: provider.providerName, models: undefined, fetchedAt: 0, attemptedAt: 0, inFlight: undefined, started: 0, applied: 0 };
      this.entries.set(provider.providerId, entry);
    }
    if (entry.inFlight !== undefined && !restart) return entry.inFlight;
    const target = entry;
    const generation = ++target.started;
    const run = this.options.discover(provider, this.now() + this.options.fetchTimeoutMs).then(
      (models) => {
        if (generation < target.applied) return;
        target.applied = generation;
        target.models = new Map(models.map((model) => [model.id, model]));
        target.fetchedAt = target.attemptedAt = this.now();
        this.options.logger.debug({ provider: provider.providerName, models: models.length }, 'model list fetched');
      },
      (error: unknown) => {
        target.attemptedAt = this.now();
        const message = error instanceof Error ? error.message : String(error);
        const servingStale = target.models !== undefined && this.now() - target.fetchedAt < this.options.staleMaxMs;
        this.options.logger.warn({ provider: provider.providerName, reason: message, servingStale }, 'model list fetch failed');
      },
    );
    const settled = run.finally(() => {
      if (target.inFlight === settled) target.inFlight = undefined;
    });
    target.inFlight = settled;
    return settled;
  }

  private current(providers: readonly RoutedProvider[]): DiscoveredLists {
    const lists = new Map<number, ReadonlyMap<string, DiscoveredModel>>();
    for (const { providerId } of providers) {
      const entry = this.entries.get(providerId);
      if (entry?.models !== undefined && this.now() - entry.fetchedAt < this.options.staleMaxMs) lists.set(providerId, entry.models);
    }
    return lists;
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    promise.then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    );
  });
}
