import { dependencyError } from '@aigw/logger';
import type { Logger } from '@aigw/logger';
import type { ProviderAccounts } from './provider-accounts.js';

/** Where an account lives, for outcome reports that name only the account. */
export interface AccountHome {
  providerId: number;
  providerName: string;
}

/**
 * The active accounts of every provider, held in memory so that a selection never queries the database.
 * Reloaded whole on each config change and on a timer; a failed reload keeps the previous snapshot.
 */
export class AccountCache {
  #providers = new Map<number, ProviderAccounts>();
  #homes = new Map<number, AccountHome>();
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly load: () => Promise<ProviderAccounts[]>,
    private readonly logger: Logger,
  ) {}

  /** The ring of a provider; undefined when the provider is unknown or inactive. */
  provider(providerId: number): ProviderAccounts | undefined {
    return this.#providers.get(providerId);
  }

  /** The provider of an active account. */
  home(accountId: number): AccountHome | undefined {
    return this.#homes.get(accountId);
  }

  /**
   * Reloads from the database. A call during a reload queues exactly one more, so that a change
   * published mid-load is never missed and a burst of changes costs at most two loads.
   */
  refresh(): Promise<void> {
    if (this.#running === undefined) {
      this.#running = this.#reload().finally(() => {
        this.#running = undefined;
      });
      return this.#running;
    }
    this.#queued ??= this.#running.then(() => {
      this.#queued = undefined;
      return this.refresh();
    });
    return this.#queued;
  }

  /** Loads once and fails loudly: a selector with no accounts must not report ready. */
  async start(refreshMs: number): Promise<void> {
    this.#install(await this.load());
    this.#timer = setInterval(() => void this.refresh(), refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #reload(): Promise<void> {
    try {
      this.#install(await this.load());
    } catch (error) {
      this.logger.warn({ err: dependencyError(error) }, 'account cache reload failed, keeping the previous snapshot');
    }
  }

  #install(providers: ProviderAccounts[]): void {
    const byId = new Map<number, ProviderAccounts>();
    const homes = new Map<number, AccountHome>();
    for (const provider of providers) {
      byId.set(provider.providerId, provider);
      for (const { account } of provider.accounts) {
        homes.set(account.id, { providerId: provider.providerId, providerName: provider.providerName });
      }
    }
    this.#providers = byId;
    this.#homes = homes;
    const accounts = providers.reduce((sum, p) => sum + p.accounts.length, 0);
    this.logger.debug({ providers: providers.length, accounts }, 'account cache loaded');
  }
}
