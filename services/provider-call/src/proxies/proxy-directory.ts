import { dependencyError } from '@aigw/logger';
import type { PrismaClient } from '@aigw/db';
import type { Logger } from '@aigw/logger';

/** One row of proxy_pool as this service needs it. `url` may hold credentials: never log it. */
export interface ProxyEntry {
  id: number;
  url: string;
  isActive: boolean;
  failureCount: number;
  maxFailures: number;
}

export type ProxyLoader = () => Promise<ProxyEntry[]>;

/** Reads every proxy_pool row. */
export function loadProxiesFromDatabase(prisma: PrismaClient): ProxyLoader {
  return async () => {
    const rows = await prisma.proxy.findMany({
      select: { id: true, proxyUrl: true, isActive: true, failureCount: true, maxFailures: true },
    });
    return rows.map((r) => ({ id: r.id, url: r.proxyUrl, isActive: r.isActive, failureCount: r.failureCount, maxFailures: r.maxFailures }));
  };
}

export interface ProxyDirectoryOptions {
  load: ProxyLoader;
  logger: Logger;
  /** Told the set of proxy URLs after each load, so pools of removed proxies can close. */
  onLoaded?: (urls: ReadonlySet<string>) => void;
  /** A lookup that misses reloads at most this often (an account may name a proxy added a moment ago). */
  missReloadMs?: number;
}

/**
 * The process's copy of proxy_pool: account.proxy_id → proxy URL without a database round trip.
 * Refreshed on config-change events and on a timer; loads are single-flight.
 */
export class ProxyDirectory {
  #byId = new Map<number, ProxyEntry>();
  #loading: Promise<void> | undefined;
  #lastLoad = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ProxyDirectoryOptions) {}

  /** Reloads from the database (joins a load already running). */
  refresh(): Promise<void> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  /** Loads now and then every `intervalMs`. */
  async start(intervalMs: number): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.options.logger.warn({ err: dependencyError(err) }, 'proxy refresh failed'));
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** The proxy with this id, reloading once (rate-limited) when it is unknown. */
  async get(id: number): Promise<ProxyEntry | undefined> {
    const known = this.#byId.get(id);
    if (known !== undefined) return known;
    if (Date.now() - this.#lastLoad >= (this.options.missReloadMs ?? 1000)) await this.refresh();
    return this.#byId.get(id);
  }

  /** Last known failure count, kept current by this replica's own writes between loads. */
  failureCount(id: number): number {
    return this.#byId.get(id)?.failureCount ?? 0;
  }

  noteFailureCount(id: number, failureCount: number, isActive: boolean): void {
    const entry = this.#byId.get(id);
    if (entry !== undefined) this.#byId.set(id, { ...entry, failureCount, isActive });
  }

  async #load(): Promise<void> {
    this.#lastLoad = Date.now();
    const entries = await this.options.load();
    this.#byId = new Map(entries.map((e) => [e.id, e]));
    this.options.onLoaded?.(new Set(entries.map((e) => e.url)));
  }
}
