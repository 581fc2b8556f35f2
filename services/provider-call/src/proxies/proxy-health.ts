import { dependencyError } from '@aigw/logger';
import type { Logger } from '@aigw/logger';
import { redisKeys, type RedisClient } from '@aigw/redis';
import type { ProxyDirectory } from './proxy-directory.js';
import type { ProxyFailureStore } from './proxy-failure-store.js';

export interface ProxyHealthOptions {
  store: ProxyFailureStore;
  directory: ProxyDirectory;
  redis: RedisClient;
  logger: Logger;
  /** Outcomes are written to the database at most this often. */
  flushMs: number;
  /** Called after this replica disabled proxies (reassign accounts, tell the other replicas). */
  onDisabled: (ids: number[]) => Promise<void>;
}

/** Outcomes since the last flush: a success wipes the failures before it (failures count consecutively). */
interface Pending {
  reset: boolean;
  add: number;
}

/**
 * Keeps proxy health: request and failure counters in Redis, consecutive connect failures in proxy_pool,
 * both written in batches every `flushMs`, and disables a proxy when it reaches max_failures.
 */
export class ProxyHealth {
  readonly #pending = new Map<number, Pending>();
  /** Redis counter increments not yet written (one INCRBY per key and flush, not an INCR per request). */
  readonly #counts = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: ProxyHealthOptions) {}

  /** A request is about to go through the proxy. */
  requested(id: number): void {
    this.#count(redisKeys.proxyRequests(id));
  }

  /** The proxy could not be reached or refused to carry the request. */
  failed(id: number): void {
    this.#count(redisKeys.proxyFailures(id));
    const pending = this.#pending.get(id) ?? { reset: false, add: 0 };
    pending.add += 1;
    this.#pending.set(id, pending);
    this.#schedule();
  }

  /** The proxy carried a request (the upstream answered); resets its failure count when it has one. */
  succeeded(id: number): void {
    const pending = this.#pending.get(id);
    if (pending === undefined && this.options.directory.failureCount(id) === 0) return;
    if (pending?.reset === true && pending.add === 0) return;
    this.#pending.set(id, { reset: true, add: 0 });
    this.#schedule();
  }

  /** Writes what is pending now (also used on shutdown). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [key, count] of this.#counts) this.options.redis.incrby(key, count).catch(() => undefined);
    this.#counts.clear();
    this.#flushing = this.#flushing.catch(() => undefined).then(() => this.#write());
    return this.#flushing;
  }

  #count(key: string): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.flush().catch((err: unknown) => this.options.logger.warn({ err: dependencyError(err) }, 'proxy health flush failed'));
    }, this.options.flushMs);
    this.#timer.unref();
  }

  async #write(): Promise<void> {
    const batch = [...this.#pending];
    this.#pending.clear();
    const disabled: number[] = [];
    for (const [id, { reset, add }] of batch) {
      const state = await this.options.store.apply(id, reset, add).catch((err: unknown) => {
        this.options.logger.warn({ err: dependencyError(err), proxyId: id }, 'could not record proxy outcome');
        return undefined;
      });
      if (state === undefined) continue;
      this.options.directory.noteFailureCount(id, state.failureCount, state.isActive);
      if (add > 0 && state.isActive && state.failureCount >= state.maxFailures && (await this.options.store.deactivate(id))) {
        this.options.directory.noteFailureCount(id, state.failureCount, false);
        this.options.logger.warn({ proxyId: id, failureCount: state.failureCount }, 'proxy disabled after repeated failures');
        disabled.push(id);
      }
    }
    if (disabled.length > 0) await this.options.onDisabled(disabled);
  }
}
