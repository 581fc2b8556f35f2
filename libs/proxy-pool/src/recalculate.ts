import { Prisma, type PrismaClient } from '@aigw/db';
import { assignProxies, changedBindings } from './assign-proxies.js';

/** One account's binding after a recalculation; null means none (direct only when its egress says so). */
export interface Assignment {
  accountId: number;
  proxyId: number | null;
}

export interface RecalculateResult {
  /** Accounts whose proxy changed (the only rows written). */
  changed: number;
  /** Every account's binding, in account id order. */
  assignments: Assignment[];
}

const MAX_ATTEMPTS = 3;

/** A change to the pool made in the recalculation's transaction, under its lock, before the bindings are read. */
export type PoolChange = (tx: Prisma.TransactionClient) => Promise<void>;

/**
 * Recomputes every account's proxy binding and writes the ones that changed, in one transaction.
 * Replicas that recalculate at once are serialised by a row lock on `proxy_pool`, so each one sees the
 * previous one's result and the bindings stay sticky. `change` (a proxy re-enabled, say) commits with the
 * bindings it causes, so no reader sees the one without the other.
 */
export async function recalculateAssignments(prisma: PrismaClient, change?: PoolChange): Promise<RecalculateResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.$transaction((tx) => recalculateIn(tx, change), { maxWait: 5_000, timeout: 30_000 });
    } catch (error) {
      // A deadlock with another writer of `accounts` is resolved by MariaDB killing one side: retry it.
      if (attempt >= MAX_ATTEMPTS || !isWriteConflict(error)) throw error;
    }
  }
}

async function recalculateIn(tx: Prisma.TransactionClient, change: PoolChange | undefined): Promise<RecalculateResult> {
  // Must be the first statement: the lock is taken before the transaction's read snapshot exists,
  // so the reads below see everything a concurrent recalculation committed while we waited.
  await tx.$queryRaw`SELECT id FROM proxy_pool ORDER BY id FOR UPDATE`;
  await change?.(tx);
  const proxies = await tx.proxy.findMany({ select: { id: true, capacity: true, isActive: true }, orderBy: { id: 'asc' } });
  const accounts = await tx.account.findMany({ select: { id: true, proxyId: true, isActive: true, egress: true }, orderBy: { id: 'asc' } });

  const next = assignProxies(accounts, proxies);
  const changes = changedBindings(accounts, next);
  for (const [proxyId, accountIds] of groupByProxy(changes)) {
    await tx.account.updateMany({ where: { id: { in: accountIds } }, data: { proxyId } });
  }
  return {
    changed: changes.length,
    assignments: accounts.map((account) => ({ accountId: account.id, proxyId: next.get(account.id) ?? null })),
  };
}

function groupByProxy(changes: Assignment[]): Map<number | null, number[]> {
  const groups = new Map<number | null, number[]>();
  for (const { accountId, proxyId } of changes) {
    const group = groups.get(proxyId);
    if (group) group.push(accountId);
    else groups.set(proxyId, [accountId]);
  }
  return groups;
}

function isWriteConflict(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2034';
}
