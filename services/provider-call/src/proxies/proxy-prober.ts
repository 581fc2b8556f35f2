import { dependencyError } from '@aigw/logger';
import type { PrismaClient } from '@aigw/db';
import type { Logger } from '@aigw/logger';
import { Counter, type Registry } from '@aigw/metrics';
import { recalculateAssignments } from '@aigw/proxy-pool';
import { redisKeys, type RedisClient } from '@aigw/redis';
import { request } from 'undici';
import type { Dispatchers } from '../upstream/dispatchers.js';

/** A proxy that repeated failures disabled. `url` may hold credentials: never log it. */
export interface DisabledProxy {
  id: number;
  url: string;
}

/** Where the prober finds disabled proxies and re-enables them; an interface so the round is testable alone. */
export interface ProbeStore {
  /** Proxies that failures disabled (is_active false, failure_count ≥ max_failures); an operator's own disabling is left alone. */
  disabledByFailures(): Promise<DisabledProxy[]>;
  /**
   * Marks those of `ids` still disabled active with no failures, and binds accounts to them, in one commit (an
   * active proxy is never seen with its accounts still waiting); the ids this write re-enabled.
   */
  reenable(ids: number[]): Promise<{ reenabled: number[]; accountsMoved: number }>;
}

/** proxy_pool through Prisma, the bindings recalculated with the re-enabling. */
export function prismaProbeStore(prisma: PrismaClient): ProbeStore {
  return {
    async disabledByFailures() {
      const rows = await prisma.proxy.findMany({
        where: { isActive: false },
        select: { id: true, proxyUrl: true, failureCount: true, maxFailures: true },
        orderBy: { id: 'asc' },
      });
      return rows.filter((r) => r.failureCount >= r.maxFailures).map((r) => ({ id: r.id, url: r.proxyUrl }));
    },
    async reenable(ids) {
      let reenabled: number[] = [];
      const { changed } = await recalculateAssignments(prisma, async (tx) => {
        // The rows are locked by the recalculation: what is read here is what gets written.
        const rows = await tx.proxy.findMany({ where: { id: { in: ids }, isActive: false }, select: { id: true } });
        reenabled = rows.map((r) => r.id);
        if (reenabled.length > 0) await tx.proxy.updateMany({ where: { id: { in: reenabled } }, data: { isActive: true, failureCount: 0 } });
      });
      return { reenabled, accountsMoved: changed };
    },
  };
}

/** True when the proxy carried a request to the probe target. */
export type ProbeFn = (proxy: DisabledProxy) => Promise<boolean>;

/**
 * A GET of `probeUrl` through the proxy, with the same dispatchers (and so the same egress policy and proxy
 * credentials) as real calls. Any answer from the target (< 500) proves the proxy works; a refused or cut
 * connection, a 407, or the proxy's own 5xx (it could not reach the target) does not.
 */
export function httpProbe(dispatchers: Dispatchers, probeUrl: string, timeoutMs: number): ProbeFn {
  return async (proxy) => {
    if (dispatchers.proxiedTargetRefusal(probeUrl) !== undefined) return false;
    try {
      const answer = await request(probeUrl, {
        method: 'GET',
        dispatcher: dispatchers.get(proxy.url),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await answer.body.dump();
      return answer.statusCode < 500 && answer.statusCode !== 407;
    } catch {
      return false;
    }
  };
}

export interface ProxyProberOptions {
  store: ProbeStore;
  probe: ProbeFn;
  redis: RedisClient;
  logger: Logger;
  intervalMs: number;
  /** Tells the other replicas, once proxies came back (their accounts already bound again). */
  onReenabled: (ids: number[], accountsMoved: number) => Promise<void>;
  registry?: Registry;
}

/**
 * Active health checks of disabled proxies (issue 14): every intervalMs, the one replica that takes the Redis
 * lock probes each proxy that failures disabled, and re-enables those that answer (failures reset), so their
 * accounts are bound again. Without it a recovered proxy stayed disabled until an operator noticed.
 */
export class ProxyProber {
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();
  readonly #outcomes: Counter<'outcome'> | undefined;

  constructor(private readonly options: ProxyProberOptions) {
    this.#outcomes = options.registry
      ? new Counter({
          name: 'aigw_proxy_probes_total',
          help: 'Health probes of proxies disabled after failures, by outcome (ok: re-enabled, failed: stays disabled)',
          labelNames: ['outcome'] as const,
          registers: [options.registry],
        })
      : undefined;
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#round = this.#round.then(() => this.round()).catch((err: unknown) => this.options.logger.warn({ err: dependencyError(err) }, 'proxy probe round failed'));
    }, this.options.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a round in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#round;
  }

  /** One round: probes and re-enables, if this replica holds the lock for it. */
  async round(): Promise<void> {
    const { store, probe, redis, logger } = this.options;
    // Held for a whole interval (never released): one replica probes per interval, however many run.
    const locked = await redis.set(redisKeys.proxyProbeLock(), '1', 'PX', this.options.intervalMs, 'NX');
    if (locked !== 'OK') return;
    // All at once: a round of dead proxies then takes one probe timeout, not one per proxy.
    const working = await Promise.all(
      (await store.disabledByFailures()).map(async (proxy) => {
        const works = await probe(proxy);
        this.#outcomes?.inc({ outcome: works ? 'ok' : 'failed' });
        return works ? proxy.id : undefined;
      }),
    );
    const ids = working.filter((id): id is number => id !== undefined);
    if (ids.length === 0) return;
    const { reenabled, accountsMoved } = await store.reenable(ids);
    for (const proxyId of reenabled) logger.info({ proxyId }, 'proxy re-enabled: its health probe succeeded');
    if (reenabled.length > 0) await this.options.onReenabled(reenabled, accountsMoved);
  }
}
