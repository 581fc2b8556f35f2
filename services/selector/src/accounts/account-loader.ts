import type { PrismaClient } from '@aigw/db';
import { accountsWithoutProxy, toProviderAccounts, type AccountWithoutProxy, type ProviderAccounts } from './provider-accounts.js';

/**
 * Reads every active provider with its active accounts (one query, no credentials); `onWithoutProxy` hears
 * which of them are left out because they wait for a proxy.
 */
export async function loadProviderAccounts(
  prisma: PrismaClient,
  onWithoutProxy?: (accounts: AccountWithoutProxy[]) => void,
): Promise<ProviderAccounts[]> {
  const rows = await prisma.provider.findMany({
    where: { isActive: true },
    select: {
      id: true,
      name: true,
      kind: true,
      wire: true,
      baseUrl: true,
      accounts: {
        where: { isActive: true },
        orderBy: { id: 'asc' },
        select: {
          id: true,
          label: true,
          authType: true,
          baseUrl: true,
          settings: true,
          proxyId: true,
          egress: true,
          rateLimitPerMin: true,
        },
      },
    },
  });
  onWithoutProxy?.(accountsWithoutProxy(rows));
  return toProviderAccounts(rows);
}
