import { onConfigChanged, type BusNames, type NatsConnection } from '@aigw/bus';
import type { PrismaClient } from '@aigw/db';
import type { ServiceBinding } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import { RedisOutage, type RedisClient } from '@aigw/redis';
import type { Registry } from '@aigw/metrics';
import { AccountCache } from './accounts/account-cache.js';
import { loadProviderAccounts } from './accounts/account-loader.js';
import { withoutProxyReport } from './accounts/without-proxy-report.js';
import type { CooldownSettings } from './outcomes/cooldown-policy.js';
import { LocalCooldowns } from './outcomes/local-cooldowns.js';
import { OutcomeRecorder } from './outcomes/outcome-recorder.js';
import { createSelectorMetrics, NO_SELECTOR_METRICS } from './observability/selector-metrics.js';
import { AccountSelector } from './selection/account-selector.js';
import { LocalRotation } from './selection/local-rotation.js';
import { createServer } from './server.js';

export interface SelectorAppDeps {
  prisma: PrismaClient;
  redis: RedisClient;
  nc: NatsConnection;
  names: BusNames;
  logger: Logger;
  accountRefreshMs: number;
  cooldown: CooldownSettings;
  /** How long a session-affinity binding outlives its conversation's last turn. */
  affinityTtlMs: number;
  /** Where the fallback counters and aigw_accounts_without_proxy go (none in tests that do not look). */
  registry?: Registry;
  /** Wall clock for the per-minute windows; tests pin it. */
  now?: () => number;
}

export interface SelectorApp {
  binding: ServiceBinding;
  cache: AccountCache;
  /** Stops the refresh timer and the config subscription; connections belong to the caller. */
  close(): void;
}

// Entities whose changes can alter a ring: providers and accounts directly, proxies through accounts.proxy_id.
const RING_ENTITIES = new Set(['provider', 'account', 'proxy']);

/** Wires cache, selection and outcomes to their connections; loads the accounts before returning. */
export async function createSelectorApp(deps: SelectorAppDeps): Promise<SelectorApp> {
  const report = withoutProxyReport(deps.logger, deps.registry);
  const cache = new AccountCache(() => loadProviderAccounts(deps.prisma, report), deps.logger);
  await cache.start(deps.accountRefreshMs);
  const subscription = onConfigChanged(deps.nc, deps.names, (change) => {
    if (RING_ENTITIES.has(change.entity)) void cache.refresh();
  });
  const metrics = deps.registry === undefined ? NO_SELECTOR_METRICS : createSelectorMetrics(deps.registry);
  // One line when Redis goes away and one when it is back, however many requests fell back meanwhile.
  const outage = new RedisOutage({
    onDown: (error) =>
      deps.logger.warn({ error: (error as Error)?.message }, 'redis unreachable: selecting accounts in process until it answers again'),
    onUp: (downMs) => deps.logger.info({ downMs }, 'redis answers again: selecting accounts in redis'),
  });
  const cooldowns = new LocalCooldowns(deps.cooldown, deps.now);
  const binding = createServer({
    selector: new AccountSelector({
      redis: deps.redis,
      cache,
      affinityTtlMs: deps.affinityTtlMs,
      outage,
      local: new LocalRotation(cooldowns, deps.now),
      metrics,
      now: deps.now,
    }),
    outcomes: new OutcomeRecorder({ redis: deps.redis, cache, settings: deps.cooldown, outage, local: cooldowns, metrics }),
    logger: deps.logger,
  });
  return {
    binding,
    cache,
    close() {
      subscription.unsubscribe();
      cache.stop();
    },
  };
}
