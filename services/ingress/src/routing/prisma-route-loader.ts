import type { PrismaClient } from '@aigw/db';
import { parsePriceOverride } from '@aigw/pricing';
import { parseModelNames } from './model-names.js';
import type { RouteLoader } from './route-cache.js';

/**
 * Active routes of active providers, from model_routes, each knowing whether its provider has an active account,
 * with the model names the operator put on the route and on its provider.
 */
export function prismaRouteLoader(prisma: PrismaClient): RouteLoader {
  return async () => {
    const [rows, staffed] = await Promise.all([
      prisma.modelRoute.findMany({
        where: { isActive: true, provider: { isActive: true } },
        include: { provider: { select: { name: true, models: true, kind: true, price: true } } },
      }),
      prisma.account.groupBy({ by: ['providerId'], where: { isActive: true } }),
    ]);
    const withAccounts = new Set(staffed.map((group) => group.providerId));
    return rows.map((row) => ({
      id: row.id,
      pattern: row.pattern,
      providerId: row.providerId,
      providerName: row.provider.name,
      upstreamModel: row.upstreamModel,
      priority: row.priority,
      fallbackModel: row.fallbackModel,
      sessionAffinity: row.sessionAffinity,
      providerHasAccounts: withAccounts.has(row.providerId),
      createdAtMs: row.createdAt.getTime(),
      models: parseModelNames(row.models),
      providerModels: parseModelNames(row.provider.models),
      providerKind: row.provider.kind,
      price: parsePriceOverride(row.price) ?? parsePriceOverride(row.provider.price),
    }));
  };
}
