import type { PrismaClient } from '@aigw/db';

/** A proxy's failure state after a write. */
export interface ProxyFailureState {
  failureCount: number;
  maxFailures: number;
  isActive: boolean;
}

/** Where proxy failure counts live (proxy_pool); an interface so the counting logic is testable alone. */
export interface ProxyFailureStore {
  /** Sets failure_count to `add` when `reset`, else adds `add`; undefined when the proxy is gone. */
  apply(id: number, reset: boolean, add: number): Promise<ProxyFailureState | undefined>;
  /** Marks the proxy inactive if it still is; true only for the replica whose write flipped it. */
  deactivate(id: number): Promise<boolean>;
}

/** proxy_pool through Prisma. */
export function prismaProxyFailureStore(prisma: PrismaClient): ProxyFailureStore {
  const select = { failureCount: true, maxFailures: true, isActive: true } as const;
  return {
    async apply(id, reset, add) {
      const data = reset ? { failureCount: add } : { failureCount: { increment: add } };
      const { count } = await prisma.proxy.updateMany({ where: { id }, data });
      if (count === 0) return undefined;
      return (await prisma.proxy.findUnique({ where: { id }, select })) ?? undefined;
    },
    async deactivate(id) {
      const { count } = await prisma.proxy.updateMany({ where: { id, isActive: true }, data: { isActive: false } });
      return count > 0;
    },
  };
}
