import type { PrismaClient } from '@aigw/db';
import { toProviderAccounts, type ProviderAccounts } from './provider-accounts.js';

/** Reads every active provider with its active accounts (one query, no credentials). */
export async function loadProviderAccounts(prisma: PrismaClient): Promise<ProviderAccounts[]> {
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
          rateLimitPerMin: true,
        },
      },
    },
  });
  return toProviderAccounts(rows);
}
