import type { PrismaClient } from '@aigw/db';

/** A proxy with the accounts bound to it. Holds no proxy URL: it may carry a password. */
export interface ProxyAssignments {
  proxyId: number;
  label: string;
  capacity: number;
  isActive: boolean;
  /** Accounts bound to the proxy (active or not). */
  used: number;
  accounts: { id: number; label: string }[];
}

/** Every proxy (id order) with the accounts bound to it (id order). */
export async function listAssignments(prisma: PrismaClient): Promise<ProxyAssignments[]> {
  const proxies = await prisma.proxy.findMany({
    select: {
      id: true,
      label: true,
      capacity: true,
      isActive: true,
      accounts: { select: { id: true, label: true }, orderBy: { id: 'asc' } },
    },
    orderBy: { id: 'asc' },
  });
  return proxies.map((proxy) => ({
    proxyId: proxy.id,
    label: proxy.label,
    capacity: proxy.capacity,
    isActive: proxy.isActive,
    used: proxy.accounts.length,
    accounts: proxy.accounts,
  }));
}
